/** Times as members read them: Vietnamese, in Vietnam's time zone whatever the phone says. */
const DATE_TIME = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

export function formatDateTime(ms: number): string {
  return DATE_TIME.format(new Date(ms));
}
