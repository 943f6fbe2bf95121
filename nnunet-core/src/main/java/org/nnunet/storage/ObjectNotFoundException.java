package org.nnunet.storage;

import java.io.IOException;

/** Thrown when reading or copying a key that has no object. */
public class ObjectNotFoundException extends IOException {

    private final String key;

    public ObjectNotFoundException(String location, String key) {
        super("no object '" + key + "' in " + location);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
