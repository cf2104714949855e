/**
 * The mailbox providers most signups use, the most used first (a tie goes to the
 * earlier). A domain listed here is never corrected, so a real provider that looks
 * like another (`mail.com` and `gmail.com`, `163.com` and `126.com`) belongs here.
 */
export const commonEmailDomains: readonly string[] = [
  'gmail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'icloud.com',
  'aol.com',
  'live.com',
  'msn.com',
  'googlemail.com',
  'me.com',
  'mac.com',
  'ymail.com',
  'rocketmail.com',
  'protonmail.com',
  'proton.me',
  'pm.me',
  'hotmail.co.uk',
  'yahoo.co.uk',
  'live.co.uk',
  'btinternet.com',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'web.de',
  't-online.de',
  'mail.com',
  'email.com',
  'zoho.com',
  'fastmail.com',
  'tutanota.com',
  'yandex.ru',
  'yandex.com',
  'mail.ru',
  'qq.com',
  '163.com',
  '126.com',
  'naver.com',
  'yahoo.co.jp',
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
  'aim.com',
  'hey.com',
];

/**
 * The address with its domain corrected (`alice@gmial.com` → `alice@gmail.com`),
 * or undefined when the domain is one of `knownDomains` or near none of them.
 *
 * The name before the first dot and the rest are compared apart, counting a swap
 * of two neighbouring letters as one edit. Short names take fewer edits, so
 * `me.com` never claims `acme.com`; and a two-letter ending is never changed, since
 * one letter turns a country into another (`yahoo.fr`, `yahoo.de`). Endings of three
 * letters or more take one edit: `gmail.co` and `gmail.con` become `gmail.com`.
 *
 * The example signup page runs this function's own source text in the browser, so
 * it calls nothing from outside and declares no named function inside: a build
 * that keeps names would add a helper call the page does not have.
 */
export const suggestEmailCorrection = (
  email: string,
  knownDomains: readonly string[],
): string | undefined => {
  const address = email.trim();
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1).toLowerCase();
  if (at < 1 || domain === '' || knownDomains.includes(domain)) return undefined;
  const dot = domain.indexOf('.');
  const typed = dot < 0 ? [domain, ''] : [domain.slice(0, dot), domain.slice(dot + 1)];
  let best: string | undefined;
  let fewestEdits = 3;
  for (const known of knownDomains) {
    const knownDot = known.indexOf('.');
    const parts = [known.slice(0, knownDot), known.slice(knownDot + 1)];
    // A dropped dot (`gmailcom`) is one edit, though the name alone is far off.
    const droppedDot = dot < 0 && domain === parts.join('');
    let edits = droppedDot ? 1 : 0;
    let near = true;
    for (let part = 0; part < 2 && near && !droppedDot; part += 1) {
      const a = typed[part] ?? '';
      const b = parts[part] ?? '';
      const limit = part === 0 ? (b.length <= 3 ? 0 : b.length <= 5 ? 1 : 2) : b.length >= 3 ? 1 : 0;
      // Optimal string alignment distance, row by row; skipped when the lengths alone are too far apart.
      let twoRowsUp: number[] = [];
      let rowUp: number[] = [];
      for (let j = 0; j <= b.length; j += 1) rowUp.push(j);
      for (let i = 1; i <= a.length && Math.abs(a.length - b.length) <= limit; i += 1) {
        const row = [i];
        for (let j = 1; j <= b.length; j += 1) {
          const substitution = (rowUp[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
          let cost = Math.min((rowUp[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution);
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
            cost = Math.min(cost, (twoRowsUp[j - 2] ?? 0) + 1);
          row.push(cost);
        }
        twoRowsUp = rowUp;
        rowUp = row;
      }
      const distance = Math.abs(a.length - b.length) > limit ? limit + 1 : (rowUp[b.length] ?? 0);
      near = distance <= limit;
      edits += distance;
    }
    if (near && edits > 0 && edits < fewestEdits) {
      best = known;
      fewestEdits = edits;
    }
  }
  return best === undefined ? undefined : `${address.slice(0, at)}@${best}`;
};
