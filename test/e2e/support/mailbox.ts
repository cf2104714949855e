import type { StoredEmail } from '../../integration/support/ses-store.js';
import { readSesStore } from '../../integration/support/ses-store.js';

/** Reads what the SES emulator received, the way a person reads the email viewer. */
export const mailbox = (sesUrl: string) => {
  const all = (): Promise<StoredEmail[]> => readSesStore(sesUrl);
  return {
    all,
    to: async (address: string) => (await all()).filter((email) => email.destination.to.includes(address)),
  };
};

export const header = (email: StoredEmail, name: string): string | undefined =>
  email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/** The first link in the text body that goes to the given path. */
export const linkTo = (email: StoredEmail, path: string): string => {
  const match = new RegExp(`https?://[^\\s"'<>]+${path.replace('/', '\\/')}\\?token=[A-Za-z0-9._%-]+`).exec(
    email.body.text ?? '',
  );
  if (match === null) throw new Error(`no ${path} link in: ${email.body.text ?? '(no text body)'}`);
  return match[0];
};
