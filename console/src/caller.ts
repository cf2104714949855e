import { useQuery } from '@tanstack/react-query';
import { AdminCaller, type AdminRole, roleCovers } from '../../lib/domain/admin-role.js';
import { adminApi } from './admin-api.js';

/** Who is signed in, and with which role (`GET /admin/me`). */
export const useCaller = () =>
  useQuery({
    queryKey: ['me'],
    queryFn: () => adminApi(AdminCaller, 'GET', '/admin/me'),
    staleTime: Infinity,
  });

/**
 * Whether the signed-in role may do what needs `needed`: the console only offers
 * what the API would allow (the API checks again, on every route).
 */
export const useMay = (needed: AdminRole): boolean => {
  const caller = useCaller();
  return caller.data !== undefined && roleCovers(caller.data.role, needed);
};
