/** Yen as a receipt shows it, and times in Japan's zone whatever the browser's: operators and customers talk in JST. */
const yen = new Intl.NumberFormat('ja-JP', { style: 'currency', currency: 'JPY' });

export function formatYen(amount: number): string {
  return yen.format(amount);
}

const time = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const hour = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

export function formatTime(iso: string | null): string {
  return iso ? time.format(new Date(iso)) : '—';
}

export function formatHour(iso: string): string {
  return hour.format(new Date(iso));
}
