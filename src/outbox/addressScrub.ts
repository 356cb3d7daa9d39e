// Nothing derived from a subscriber's address leaves without the admin token: SMTP replies often quote the
// recipient ("550 5.1.1 <jane@example.com>: User unknown"), so the text of a delivery error is scrubbed before
// it is stored, logged or shown.
const EMAIL_LIKE = /<?[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*>?/g;
const ADDRESS_PLACEHOLDER = '<recipient>';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `text` without any email address, nor the recipient's address, local part or domain-less name in any case. */
export function scrubAddresses(text: string, recipient?: string): string {
  let out = text.replace(EMAIL_LIKE, ADDRESS_PLACEHOLDER);
  if (recipient) {
    const local = recipient.split('@')[0];
    for (const part of [recipient, local])
      if (part.length >= 3) out = out.replace(new RegExp(escapeRegex(part), 'gi'), ADDRESS_PLACEHOLDER);
  }
  return out;
}
