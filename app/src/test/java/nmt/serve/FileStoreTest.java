package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FileStoreTest {
    private final AtomicLong now = new AtomicLong();
    private final FileStore store = new FileStore(10, 1000, now::get);

    @Test
    void aFileIsKeptUnderARandomNameUntilItExpires() {
        String name = store.put("my notes.txt", "text/plain", new byte[] {1, 2, 3});
        assertTrue(name.matches("[0-9a-f-]{36}\\.my_notes\\.txt"), name);
        FileStore.Stored stored = store.get(name);
        assertEquals("my_notes.txt", stored.downloadName());
        assertArrayEquals(new byte[] {1, 2, 3}, stored.bytes());
        now.set(999_999_999);
        assertEquals(3, store.get(name).bytes().length);
        now.set(1_000_000_000);
        assertEquals(404, assertThrows(ApiError.class, () -> store.get(name)).status());
    }

    @Test
    void theOldestFilesMakeRoomAndAFileLargerThanTheStoreIsRefused() {
        String first = store.put("a.txt", "text/plain", new byte[6]);
        String second = store.put("b.txt", "text/plain", new byte[4]);
        String third = store.put("c.txt", "text/plain", new byte[3]);
        assertEquals(404, assertThrows(ApiError.class, () -> store.get(first)).status());
        assertEquals(4, store.get(second).bytes().length);
        assertEquals(3, store.get(third).bytes().length);
        ApiError tooLarge = assertThrows(ApiError.class, () -> store.put("d.txt", "text/plain", new byte[11]));
        assertEquals(413, tooLarge.status());
        assertEquals("the translated file has 11 bytes; the server keeps at most 10 bytes of files (--file-store-mb)",
                tooLarge.getMessage());
    }

    @Test
    void anUploadNameWithDotsStillGivesANameThatCanBeFetched() {
        String name = store.put("../notes..v2.txt", "text/plain", new byte[1]);
        assertTrue(name.endsWith("._notes.v2.txt"), name);
        assertEquals(1, store.get(name).bytes().length);
    }

    @Test
    void namesItNeverGaveAreRefusedBeforeAnyLookUp() {
        String name = store.put("a.txt", "text/plain", new byte[1]);
        for (String bad : new String[] {"../etc/passwd", "..", name.replace(".a.txt", "..a.txt"), name + "/x",
                "a.txt", name.substring(0, 35) + ".a.txt"}) {
            ApiError e = assertThrows(ApiError.class, () -> store.get(bad), bad);
            assertEquals(400, e.status(), bad);
            assertEquals("Invalid filename", e.getMessage());
        }
    }
}
