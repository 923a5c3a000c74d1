import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Lepton', template: '%s · Lepton' },
  description: 'Lepton dashboard: model registry, datasets, live runs and training.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so each response carries its own CSP nonce (see proxy.ts).
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
