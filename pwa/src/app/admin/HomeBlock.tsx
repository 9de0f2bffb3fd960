import { t } from '../i18n';
import { canAdminister, canEditContent, canImportMembers, canModerate, canReadRegister, canReadReports } from '../roles';
import { paths } from '../router';
import type { Me } from '../session';

/** Home's way into the staff tools, for those whose roles open them (the tools themselves load on demand). */
export function StaffBlock({ member }: { readonly member: Me }) {
  const tools: Array<[string, string]> = [];
  if (canModerate(member)) tools.push([paths.moderation, t('staff.moderation')]);
  if (canEditContent(member)) tools.push([paths.editor, t('staff.editor')]);
  if (canReadReports(member)) tools.push([paths.reports, t('staff.reports')]);
  if (canReadRegister(member)) tools.push([paths.members, t('staff.members')]);
  if (canImportMembers(member)) tools.push([paths.memberImport, t('staff.import')]);
  if (canAdminister(member)) tools.push([paths.audit, t('staff.audit')]);
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
