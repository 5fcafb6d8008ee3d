/**
 * A recorded time in words for `labbox status` (issue 10 item 20): `just now`, `12 minutes ago`,
 * `today at 07:01`, `yesterday at 18:40`, `on 3 Nov at 09:15`, in the laptop's time zone.
 */
export function whenInWords(iso: string, now = new Date()): string {
	const then = new Date(iso);
	if (Number.isNaN(then.getTime())) {
		return iso;
	}
	const minutes = Math.round((now.getTime() - then.getTime()) / 60_000);
	if (minutes >= 0 && minutes < 1) {
		return 'just now';
	}
	if (minutes >= 1 && minutes < 60) {
		return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
	}
	const time = `${String(then.getHours()).padStart(2, '0')}:${String(then.getMinutes()).padStart(2, '0')}`;
	const day = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
	const days = Math.round((day(now) - day(then)) / 86_400_000);
	if (days === 0) {
		return `today at ${time}`;
	}
	if (days === 1) {
		return `yesterday at ${time}`;
	}
	const month = then.toLocaleString('en-GB', {month: 'short'});
	const year = then.getFullYear() === now.getFullYear() ? '' : ` ${then.getFullYear()}`;
	return `on ${then.getDate()} ${month}${year} at ${time}`;
}
