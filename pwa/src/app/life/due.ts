import { t } from '../i18n';
import { daysUntil, formatDate } from './dates';

/** "Còn 3 ngày", "Hôm nay", "Quá hạn 2 ngày": a due date as a member counts it, on the branch's calendar. */
export function dueText(dueAt: string, now: number): string {
  const days = daysUntil(dueAt, now);
  if (days > 0) return t('study.dueIn', { days, date: formatDate(dueAt) });
  if (days === 0) return t('study.dueToday');
  return t('study.overdueBy', { days: -days, date: formatDate(dueAt) });
}
