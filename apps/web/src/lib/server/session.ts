import type { NextRequest, NextResponse } from 'next/server';

/** The API token lives only in this httpOnly cookie; page JavaScript never sees it. */
export const TOKEN_COOKIE = 'lepton_token';
const WEEK_SECONDS = 7 * 24 * 3600;

function servedOverHttps(request: NextRequest): boolean {
  return (
    request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
  );
}

export function setTokenCookie(response: NextResponse, request: NextRequest, token: string): void {
  response.cookies.set(TOKEN_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: servedOverHttps(request),
    path: '/',
    maxAge: WEEK_SECONDS,
  });
}

export function clearTokenCookie(response: NextResponse, request: NextRequest): void {
  response.cookies.set(TOKEN_COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    secure: servedOverHttps(request),
    path: '/',
    maxAge: 0,
  });
}

export function tokenOf(request: NextRequest): string | undefined {
  return request.cookies.get(TOKEN_COOKIE)?.value || undefined;
}

/**
 * Writes through the same-origin routes must come from this origin. SameSite=Strict already keeps
 * the cookie off cross-site requests; this also refuses them when a browser sends no cookie rules.
 */
export function isSameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return request.headers.get('sec-fetch-site') !== 'cross-site';
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
