import { z } from 'zod';

export const EnrollmentStatus = z.enum(['active', 'completed', 'exited']);

export const Enrollment = z.object({
  id: z.string().min(1),
  contactId: z.string().min(1),
  journeyId: z.string().min(1),
  journeyVersion: z.number().int().min(1),
  status: EnrollmentStatus,
  currentNode: z.string().optional(),
  /** How many times each node ran; part of every side effect's idempotency key. */
  visits: z.record(z.string(), z.number().int().min(1)),
  triggerEventId: z.string().min(1),
  enteredAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  exitReason: z.string().optional(),
  version: z.number().int().min(1),
});
export type Enrollment = z.infer<typeof Enrollment>;
