package org.nnunet.storage;

/**
 * Rules for object keys, shared by every {@link ObjectStore} so a key valid on the filesystem is valid on S3 and back.
 *
 * <p>A key is a relative path of non-empty segments joined by '/': no leading '/', no backslash, no empty segment
 * ("a//b", trailing '/'), no "." or ".." segment (a key must never escape the store's root), no control characters.
 * Segments starting with {@value #TEMP_MARKER} are reserved for in-flight writes.
 */
public final class ObjectKeys {

    /** Prefix of temporary names used while a write is in flight; hidden from listings, refused in user keys. */
    public static final String TEMP_MARKER = ".nnunet-tmp";

    private ObjectKeys() {
    }

    /** Returns {@code key} unchanged, or throws {@link InvalidObjectKeyException} naming the broken rule. */
    public static String requireValidKey(String key) {
        if (key == null) {
            throw new InvalidObjectKeyException("null", "key is null");
        }
        if (key.isEmpty()) {
            throw new InvalidObjectKeyException(key, "key is empty");
        }
        if (key.endsWith("/")) {
            throw new InvalidObjectKeyException(key, "key ends with '/' (it names a folder, not an object)");
        }
        checkSegments(key, key);
        return key;
    }

    /**
     * Returns {@code prefix} unchanged if it is "" or a valid key optionally followed by '/', else throws
     * {@link InvalidObjectKeyException}.
     */
    public static String requireValidPrefix(String prefix) {
        if (prefix == null) {
            throw new InvalidObjectKeyException("null", "prefix is null");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (body.isEmpty()) {
            throw new InvalidObjectKeyException(prefix, "prefix '/' is absolute; use \"\" for the whole store");
        }
        checkSegments(prefix, body);
        return prefix;
    }

    /** True for names of in-flight writes, which listings must not show. */
    static boolean isTemporary(String keyOrName) {
        return keyOrName.startsWith(TEMP_MARKER) || keyOrName.contains("/" + TEMP_MARKER);
    }

    private static void checkSegments(String original, String body) {
        if (body.startsWith("/")) {
            throw new InvalidObjectKeyException(original, "absolute path; keys are relative to the store root");
        }
        if (body.indexOf('\\') >= 0) {
            throw new InvalidObjectKeyException(original, "contains a backslash; use '/' as separator");
        }
        if (body.length() >= 2 && body.charAt(1) == ':' && Character.isLetter(body.charAt(0))) {
            throw new InvalidObjectKeyException(original, "looks like a drive-letter path");
        }
        for (int i = 0; i < body.length(); i++) {
            if (Character.isISOControl(body.charAt(i))) {
                throw new InvalidObjectKeyException(original, "contains a control character at index " + i);
            }
        }
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new InvalidObjectKeyException(original, "empty path segment ('//')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidObjectKeyException(original, "'" + segment + "' segments are not allowed");
            }
            if (segment.startsWith(TEMP_MARKER)) {
                throw new InvalidObjectKeyException(original,
                        "segments starting with '" + TEMP_MARKER + "' are reserved for in-flight writes");
            }
        }
    }
}
