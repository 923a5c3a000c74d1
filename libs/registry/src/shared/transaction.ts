import type { Prisma, PrismaClient } from '@lepton/db';

/** Every mutation runs in one transaction: it happens whole (with its audit row) or not at all. */
export function inTransaction<T>(prisma: PrismaClient, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  // Generous waits: under bursts (100 concurrent version registrations) transactions queue for a connection.
  return prisma.$transaction(work, { maxWait: 30_000, timeout: 30_000 });
}
