package nmt.serve;

/**
 * What the server accepts and how it batches; {@link #builder()} starts from the defaults of
 * {@code nmt serve}.
 *
 * @param maxBatchSentences sentences decoded together at most
 * @param maxDelayMs        how long the oldest waiting sentence waits for others to join its batch
 * @param maxQueueSentences sentences waiting per model before requests are refused with 429
 * @param maxChars          characters per text of a request
 * @param maxSentences      sentences per request, after splitting its texts (a file may have up to the queue's)
 * @param maxBodyBytes      request body size; a larger body is refused with 413
 * @param maxBeam           the largest beam a request may ask for
 * @param timeoutMs         how long a request waits for its translations before a 503
 * @param requestsPerMinute requests per client address and minute before a 429; 0 for no limit
 * @param fileStoreBytes    bytes of translated files kept for download; the oldest go first
 * @param fileTtlMs         how long a translated file can be downloaded
 */
public record ServeLimits(int maxBatchSentences, int maxDelayMs, int maxQueueSentences, int maxChars,
                          int maxSentences, long maxBodyBytes, int maxBeam, long timeoutMs, int requestsPerMinute,
                          long fileStoreBytes, long fileTtlMs) {

    public static Builder builder() {
        return new Builder();
    }

    /** The limits of {@code nmt serve} unless its options say otherwise. */
    public static final class Builder {
        private int maxBatchSentences = 32;
        private int maxDelayMs = 5;
        private int maxQueueSentences = 2048;
        private int maxChars = 5000;
        private int maxSentences = 256;
        private long maxBodyBytes = 1 << 20;
        private int maxBeam = 16;
        private long timeoutMs = 30_000;
        private int requestsPerMinute;
        private long fileStoreBytes = 64L << 20;
        private long fileTtlMs = 3_600_000;

        private Builder() {
        }

        public Builder maxBatchSentences(int n) {
            this.maxBatchSentences = n;
            return this;
        }

        public Builder maxDelayMs(int ms) {
            this.maxDelayMs = ms;
            return this;
        }

        public Builder maxQueueSentences(int n) {
            this.maxQueueSentences = n;
            return this;
        }

        public Builder maxChars(int n) {
            this.maxChars = n;
            return this;
        }

        public Builder maxSentences(int n) {
            this.maxSentences = n;
            return this;
        }

        public Builder maxBodyBytes(long n) {
            this.maxBodyBytes = n;
            return this;
        }

        public Builder maxBeam(int n) {
            this.maxBeam = n;
            return this;
        }

        public Builder timeoutMs(long ms) {
            this.timeoutMs = ms;
            return this;
        }

        public Builder requestsPerMinute(int n) {
            this.requestsPerMinute = n;
            return this;
        }

        public Builder fileStoreBytes(long n) {
            this.fileStoreBytes = n;
            return this;
        }

        public Builder fileTtlMs(long ms) {
            this.fileTtlMs = ms;
            return this;
        }

        public ServeLimits build() {
            return new ServeLimits(maxBatchSentences, maxDelayMs, maxQueueSentences, maxChars, maxSentences,
                    maxBodyBytes, maxBeam, timeoutMs, requestsPerMinute, fileStoreBytes, fileTtlMs);
        }
    }
}
