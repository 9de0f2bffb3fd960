/**
 * A form's error message. The element is always there (empty when there is no error) so screen
 * readers announce the message when it appears.
 */
export function Alert({ message }: { readonly message: string }) {
  return (
    <div class="alert" role="alert" aria-live="assertive">
      {message}
    </div>
  );
}
