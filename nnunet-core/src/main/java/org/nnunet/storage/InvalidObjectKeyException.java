package org.nnunet.storage;

/** A key or prefix that breaks the {@link ObjectKeys} rules; the message names the key and the broken rule. */
public class InvalidObjectKeyException extends IllegalArgumentException {

    public InvalidObjectKeyException(String key, String problem) {
        super("invalid object key '" + key + "': " + problem);
    }
}
