import { describe, expect, it } from 'vitest';
import { failureWords } from '../../src/shared/ui/failure-words';

describe('a failed item’s reason in a manager’s words', () => {
  it('says what went wrong and how often it was tried, without HTTP codes', () => {
    expect(failureWords('Gave up after 5 tries: The portal had an error (HTTP 500).')).toBe(
      "Couldn't cancel: the portal had an error (tried 5 times)",
    );
    expect(
      failureWords(
        'Gave up after 5 tries: Could not reach the portal (POST /api/invites/i-1/cancel): TypeError: Failed to fetch',
      ),
    ).toBe("Couldn't cancel: the portal could not be reached (tried 5 times)");
    expect(
      failureWords(
        "The answer was lost and the invite's state could not be read: The portal did not answer GET /api/learners/l-1/invites within 30 s.",
      ),
    ).toBe("Couldn't cancel: no answer came back, and then the portal did not answer in time");
    expect(failureWords('The portal refused the request (security token or origin check failed).')).toBe(
      "Couldn't cancel: the portal refused it (security check)",
    );
  });

  it('keeps any other reason, as a sentence’s end', () => {
    expect(failureWords('Rate limited too long.')).toBe("Couldn't cancel: rate limited too long");
    expect(failureWords('')).toBe("Couldn't cancel: no reason was given");
  });
});
