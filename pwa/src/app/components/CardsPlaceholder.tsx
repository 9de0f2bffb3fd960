/**
 * Room for cards that are still loading. Home is built of blocks that arrive at different moments
 * (the phone's copy, then the network); without reserved room each arrival pushes everything below
 * it down, which on a slow phone moves the button the member was about to tap.
 */
export function CardsPlaceholder({ count, tall = false }: { readonly count: number; readonly tall?: boolean }) {
  return (
    <ul class="cards" aria-hidden="true">
      {Array.from({ length: count }, (_, index) => (
        <li key={index} class={tall ? 'card-placeholder card-placeholder-tall' : 'card-placeholder'} />
      ))}
    </ul>
  );
}
