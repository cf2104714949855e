/**
 * The admin token the marketer signed in with: kept in session storage, so it
 * lives as long as the tab and never appears in a URL or the history.
 */
const tokenKey = 'rapport.adminToken';

export const session = {
  token: (): string | undefined => sessionStorage.getItem(tokenKey) ?? undefined,
  signIn: (token: string): void => sessionStorage.setItem(tokenKey, token),
  signOut: (): void => sessionStorage.removeItem(tokenKey),
};
