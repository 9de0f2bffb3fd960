import { describe, expect, it } from 'vitest';
import { attachmentLink, attachmentName, fileSize, linksTo, uploadProblem, withLink } from './attachments';

describe('uploadProblem', () => {
  it('takes PDFs and images up to the limit, nothing else', () => {
    expect(uploadProblem({ type: 'application/pdf', size: 1000 })).toBeNull();
    expect(uploadProblem({ type: 'image/webp', size: 20 * 1_048_576 })).toBeNull();
    expect(uploadProblem({ type: 'text/html', size: 10 })).toBe('attach.badType');
    expect(uploadProblem({ type: '', size: 10 })).toBe('attach.badType');
    expect(uploadProblem({ type: 'image/png', size: 0 })).toBe('attach.empty');
    expect(uploadProblem({ type: 'image/png', size: 20 * 1_048_576 + 1 })).toBe('attach.tooBig');
  });
});

describe('attachmentLink', () => {
  it('links to the served file, its name kept readable and unable to break the link', () => {
    expect(attachmentLink({ id: 'a1', file_name: 'Nghị quyết 01.pdf' })).toBe('[Nghị quyết 01.pdf](/api/v1/attachments/a1)');
    expect(attachmentLink({ id: 'a/1', file_name: 'x] (y) [z\\' })).toBe('[x\\] (y) \\[z\\\\](/api/v1/attachments/a%2F1)');
    expect(attachmentLink({ id: 'a1', file_name: '  ' })).toBe('[Tệp đính kèm](/api/v1/attachments/a1)');
  });

  it('goes at the end of the text as a paragraph of its own, and is found there', () => {
    const link = attachmentLink({ id: 'a1', file_name: 'a.pdf' });
    const body = withLink('Đoạn một.\n\n', link);
    expect(body).toBe('Đoạn một.\n\n[a.pdf](/api/v1/attachments/a1)\n');
    expect(withLink('', link)).toBe(`${link}\n`);
    expect(linksTo(body, { id: 'a1' })).toBe(true);
    expect(linksTo(body, { id: 'a2' })).toBe(false);
  });
});

describe('names and sizes', () => {
  it('never sends an empty or overlong name', () => {
    expect(attachmentName('  ')).toBe('tep-dinh-kem');
    expect(attachmentName('x'.repeat(300))).toHaveLength(200);
  });

  it('says sizes as people read them', () => {
    expect(fileSize(100)).toBe('1 KB');
    expect(fileSize(870_000)).toBe('850 KB');
    expect(fileSize(2_500_000)).toBe('2,4 MB');
  });
});
