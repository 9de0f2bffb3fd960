import { t } from '../i18n';
import { canEditContent, canImportMembers, canModerate, canReadReports } from '../roles';
import { paths } from '../router';
import type { Me } from '../session';

/** Home's way into the staff tools, for those whose roles open them (the tools themselves load on demand). */
export function StaffBlock({ member }: { readonly member: Me }) {
  const tools: Array<[string, string]> = [];
  if (canModerate(member)) tools.push([paths.moderation, t('staff.moderation')]);
  if (canEditContent(member)) tools.push([paths.editor, t('staff.editor')]);
  if (canReadReports(member)) tools.push([paths.reports, t('staff.reports')]);
  if (canImportMembers(member)) tools.push([paths.memberImport, t('staff.import')]);
  if (tools.length === 0) return null;
  return (
    <section class="group" aria-labelledby="home-staff">
      <h2 id="home-staff">{t('staff.title')}</h2>
      {tools.map(([href, label]) => (
        <a key={href} class="button button-secondary" href={href}>
          {label}
        </a>
      ))}
    </section>
  );
}
