import { Component, type ReactNode } from "react";

/**
 * A page that failed to load or render (its code chunk unreachable after a deploy or on a dropped connection, a
 * bug) says so and offers a reload instead of leaving an empty screen; another page (`resetKey`) starts afresh.
 */
export class LoadFailure extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidUpdate(prev: { resetKey: string }): void {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <section role="alert" className="load-failure">
        <h1>This page could not be shown</h1>
        <p>{this.state.error.message}</p>
        <button type="button" onClick={() => location.reload()}>
          Reload the dashboard
        </button>
      </section>
    );
  }
}
