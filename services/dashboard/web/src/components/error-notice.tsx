/** A failed load as a clear sentence (`describeError`), with a way to ask again. */
export function ErrorNotice({ message, retry }: { message: string; retry?: () => void }) {
  return (
    <p role="alert">
      {message}
      {retry && (
        <>
          {" "}
          <button type="button" className="link-button" onClick={retry}>
            Try again
          </button>
        </>
      )}
    </p>
  );
}
