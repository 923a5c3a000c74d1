import { NextResponse, type NextRequest } from 'next/server';
import { clearTokenCookie, isSameOrigin } from '@/lib/server/session';

/** The sign-out button is a plain form POST: it works before (or without) hydration. */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (!isSameOrigin(request)) return new NextResponse('Cross-origin sign-out is not accepted', { status: 403 });
  const response = NextResponse.redirect(new URL('/sign-in', request.url), 303);
  clearTokenCookie(response, request);
  return response;
}
