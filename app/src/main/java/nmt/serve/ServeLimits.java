package nmt.serve;

/**
 * What the server accepts and how it batches.
 *
 * @param maxBatchSentences sentences decoded together at most
 * @param maxDelayMs        how long the oldest waiting sentence waits for others to join its batch
 * @param maxQueueSentences sentences waiting per model before requests are refused with 429
 * @param maxChars          characters per text of a request
 * @param maxSentences      sentences per request, after splitting its texts
 * @param maxBodyBytes      request body size; a larger body is refused with 413
 * @param maxBeam           the largest beam a request may ask for
 * @param timeoutMs         how long a request waits for its translations before a 503
 */
public record ServeLimits(int maxBatchSentences, int maxDelayMs, int maxQueueSentences, int maxChars,
                          int maxSentences, long maxBodyBytes, int maxBeam, long timeoutMs) {
}
