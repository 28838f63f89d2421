package nmt;

/**
 * A problem with what the user gave us (a file, a config key, a model directory).
 * The message is the one line the user sees: it names the file, line or key and says what to do.
 */
public class InputError extends RuntimeException {
    public InputError(String message) {
        super(message);
    }

    public InputError(String message, Throwable cause) {
        super(message, cause);
    }
}
