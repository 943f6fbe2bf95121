package org.nnunet.storage;

import java.time.Instant;

/** What {@link ObjectStore#stat} and {@link ObjectStore#list} tell about one stored object. */
public record ObjectInfo(String key, long size, Instant lastModified) {
}
