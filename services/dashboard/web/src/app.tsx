import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { Link, Route, Switch, useLocation } from "wouter";
import { ApiError, api, describeError, setApiSession } from "./api.ts";
import { ErrorNotice } from "./components/error-notice.tsx";
import { LoadFailure } from "./components/load-failure.tsx";
import { LoginPage } from "./pages/login.tsx";
import { Session, type SessionContext, useSession } from "./session.tsx";
import type { Session as SessionAnswer } from "./types.ts";

const SCOPE_KEY = "orderline.scope";

// Each page is its own chunk, loaded when first opened: the sign-in page needs none of them (nor the chart library).
const OverviewPage = lazy(() => import("./pages/overview.tsx").then((m) => ({ default: m.OverviewPage })));
const CallsPage = lazy(() => import("./pages/calls.tsx").then((m) => ({ default: m.CallsPage })));
const CallPage = lazy(() => import("./pages/call.tsx").then((m) => ({ default: m.CallPage })));
const BoardPage = lazy(() => import("./pages/board.tsx").then((m) => ({ default: m.BoardPage })));
const CallbacksPage = lazy(() => import("./pages/callbacks.tsx").then((m) => ({ default: m.CallbacksPage })));
const MenuPage = lazy(() => import("./pages/menu.tsx").then((m) => ({ default: m.MenuPage })));

/** Asks for the session on load; the login page without one, the dashboard with one. */
export function App() {
  const [session, setSession] = useState<SessionAnswer | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string>();
  /** Why the sign-in page is shown again: the session ended on the server's side (not a sign-out here). */
  const [ended, setEnded] = useState(false);
  const signedOut = useCallback((why?: "expired") => {
    setEnded(why === "expired");
    setSession(null);
  }, []);
  setApiSession(session ?? null, signedOut);

  useEffect(() => {
    api.get<SessionAnswer>("/api/auth/session").then(setSession, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) setSession(null);
      else setLoadError(describeError(err));
    });
  }, []);

  if (loadError) {
    return (
      <main className="login">
        <ErrorNotice message={loadError} retry={() => location.reload()} />
      </main>
    );
  }
  if (session === undefined) return <p aria-busy="true">Loading…</p>;
  if (session === null) return <LoginPage onSignedIn={setSession} notice={ended ? "Your session has ended (signed out elsewhere, or idle too long). Sign in again to go on." : undefined} />;
  return <SignedIn session={session} signedOut={signedOut} />;
}

function SignedIn({ session, signedOut }: { session: SessionAnswer; signedOut: (why?: "expired") => void }) {
  const { user } = session;
  const [path] = useLocation();
  const single = user.locations.length === 1 ? user.locations[0]!.id : null;
  const [scope, setScopeState] = useState<string | null>(() => {
    const saved = sessionStorage.getItem(SCOPE_KEY);
    return single ?? (user.locations.some((l) => l.id === saved) ? saved : null);
  });
  const setScope = useCallback((id: string | null) => {
    setScopeState(id);
    if (id) sessionStorage.setItem(SCOPE_KEY, id);
    else sessionStorage.removeItem(SCOPE_KEY);
  }, []);
  const signOut = useCallback(() => {
    api.post("/api/auth/logout").finally(() => signedOut());
  }, [signedOut]);
  const ctx: SessionContext = useMemo(() => ({ user, scope, setScope, signOut }), [user, scope, setScope, signOut]);

  return (
    <Session.Provider value={ctx}>
      <header className="top">
        <strong className="brand">OrderLine</strong>
        <Nav />
        <LocationPicker />
        <span className="who">
          {user.displayName} ({user.role})
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        <LoadFailure resetKey={path}>
          <Suspense fallback={<p aria-busy="true">Loading the page…</p>}>
            <Switch>
              <Route path="/" component={OverviewPage} />
              <Route path="/calls" component={CallsPage} />
              <Route path="/calls/:id">{(p) => <CallPage id={p.id} />}</Route>
              <Route path="/board" component={BoardPage} />
              <Route path="/callbacks" component={CallbacksPage} />
              <Route path="/menu" component={MenuPage} />
              <Route>
                <h1>Not found</h1>
                <p>
                  There is no page here. <Link href="/">Back to the overview</Link>
                </p>
              </Route>
            </Switch>
          </Suspense>
        </LoadFailure>
      </main>
    </Session.Provider>
  );
}

const PAGES = [
  ["/", "Overview"],
  ["/calls", "Calls"],
  ["/board", "Order board"],
  ["/callbacks", "Callbacks"],
  ["/menu", "Menu"],
] as const;

function Nav() {
  const [path] = useLocation();
  return (
    <nav aria-label="Dashboard">
      <ul className="nav-list">
        {PAGES.map(([href, label]) => {
          const current = href === "/" ? path === "/" : path.startsWith(href);
          return (
            <li key={href}>
              <Link href={href} aria-current={current ? "page" : undefined}>
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function LocationPicker() {
  const { user, scope, setScope } = useSession();
  if (user.locations.length === 1) return <span className="location">{user.locations[0]!.name}</span>;
  return (
    <span className="location">
      <label htmlFor="location-picker">Location</label>{" "}
      <select id="location-picker" value={scope ?? ""} onChange={(e) => setScope(e.target.value || null)}>
        <option value="">{user.role === "manager" ? "All locations (chain)" : "All my locations"}</option>
        {user.locations.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
    </span>
  );
}
