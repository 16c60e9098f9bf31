import { describe, expect, it } from 'vitest';

import { HttpResponseNotJsonError } from '../../../src/http/http-errors.js';
import { HttpResponse } from '../../../src/http/http-response.js';

function response(text: string, contentType?: string, status = 200): HttpResponse {
  const headers = new Headers(contentType === undefined ? {} : { 'content-type': contentType });
  return new HttpResponse({
    method: 'GET',
    url: 'http://qa:pw@h/x?token=abc',
    status,
    statusText: status === 200 ? 'OK' : '',
    headers,
    text,
  });
}

describe('HttpResponse', () => {
  it('parses JSON bodies by content type only, but json() parses any JSON text', () => {
    expect(response('{"a":1}', 'application/json').body).toEqual({ a: 1 });
    const plain = response('{"a":1}', 'text/plain');
    expect(plain.body).toBe('{"a":1}');
    expect(plain.json()).toEqual({ a: 1 });
  });

  it('keeps mislabelled JSON as text', () => {
    expect(response('oops', 'application/json').body).toBe('oops');
  });

  it('says why json() failed, without secrets from the URL', () => {
    const error = (() => {
      try {
        response('', 'application/json', 204).json();
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(HttpResponseNotJsonError);
    expect((error as HttpResponseNotJsonError).code).toBe('VENOMQA_HTTP_RESPONSE_NOT_JSON');
    expect((error as Error).message).toBe(
      'Response to GET http://qa:***@h/x?token=*** (204) is not JSON: the body is empty',
    );
    expect(() => response('<p>Bearer abc</p>', 'text/html').json()).toThrow(
      /\(200 OK\) is not JSON: .*; text\/html, body starts "<p>Bearer \*\*\*<\/p>"/,
    );
  });
});
