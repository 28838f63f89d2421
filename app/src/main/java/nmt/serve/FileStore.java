package nmt.serve;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Translated files awaiting download, in memory: bounded in bytes (the oldest go first) and in
 * time. Names are a random UUID and the upload's name; nothing here touches the file system, so
 * no name can reach another file.
 */
final class FileStore {
    /** A stored file's name: a UUID, a dot, and a name of letters, digits, dots, dashes and underscores. */
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
            + "\\.[A-Za-z0-9_.-]{1,200}");

    /** A translated file: the name to download it as, its type and bytes, and when it goes. */
    record Stored(String downloadName, String contentType, byte[] bytes, long expiresAtNanos) {
    }

    private final long capacityBytes;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<String, Stored> files = new LinkedHashMap<>();
    private long bytes;

    FileStore(long capacityBytes, long ttlMs, LongSupplier clock) {
        this.capacityBytes = capacityBytes;
        this.ttlNanos = ttlMs * 1_000_000L;
        this.clock = clock;
    }

    /**
     * Keeps a file and returns the name to fetch it by.
     *
     * @throws ApiError 413 when the file alone is larger than the store
     */
    synchronized String put(String uploadName, String contentType, byte[] content) {
        if (content.length > capacityBytes) {
            throw new ApiError(413, "the translated file has " + content.length + " bytes; the server keeps at most "
                    + capacityBytes + " bytes of files (--file-store-mb)");
        }
        expire();
        Iterator<Map.Entry<String, Stored>> oldest = files.entrySet().iterator();
        while (bytes + content.length > capacityBytes && oldest.hasNext()) {
            bytes -= oldest.next().getValue().bytes().length;
            oldest.remove();
        }
        // Letters, digits, "_", "-" and single dots inside: the name stays one this store will give back.
        String safe = uploadName.replaceAll("[^A-Za-z0-9_.-]", "_").replaceAll("\\.{2,}", ".");
        safe = safe.substring(Math.max(0, safe.length() - 200)).replaceAll("^\\.+", "");
        safe = safe.isEmpty() ? "file" : safe;
        String name = UUID.randomUUID() + "." + safe;
        files.put(name, new Stored(safe, contentType, content, clock.getAsLong() + ttlNanos));
        bytes += content.length;
        return name;
    }

    /**
     * A stored file.
     *
     * @throws ApiError 400 for a name this store never gives (a path, "..", other characters), 404
     *                  for one it no longer holds
     */
    synchronized Stored get(String name) {
        if (name.contains("..") || !NAME.matcher(name).matches()) {
            throw ApiError.badRequest("Invalid filename");
        }
        expire();
        Stored stored = files.get(name);
        if (stored == null) {
            throw new ApiError(404, "no file " + name + ": it expired or the store needed its room");
        }
        return stored;
    }

    private void expire() {
        long now = clock.getAsLong();
        Iterator<Stored> it = files.values().iterator();
        while (it.hasNext()) {
            Stored s = it.next();
            if (s.expiresAtNanos() - now <= 0) {
                bytes -= s.bytes().length;
                it.remove();
            }
        }
    }
}
