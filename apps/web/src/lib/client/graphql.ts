import type { TypedDocumentString } from '@/graphql/generated/graphql';
import { ApiRequestError, type GraphQLResult } from '@/lib/graphql-errors';

/**
 * Runs an operation from the browser through the same-origin /api/graphql route, which adds the
 * token from the httpOnly cookie. Throws ApiRequestError with the API's code, field and location.
 */
export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  let response: Response;
  try {
    response = await fetch('/api/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiRequestError([{ message: 'The dashboard did not answer', extensions: { code: 'NETWORK' } }]);
  }
  const body = (await response.json().catch(() => ({}))) as GraphQLResult<R>;
  if (body.errors?.length || !body.data) throw new ApiRequestError(body.errors ?? [], response.status);
  return body.data;
}
