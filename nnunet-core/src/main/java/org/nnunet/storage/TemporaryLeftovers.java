package org.nnunet.storage;

import java.io.IOException;
import java.time.Duration;

/**
 * A store whose interrupted writes can leave temporary data behind: a put cut by a killed process or by the server's
 * death leaves its in-flight object ({@link ObjectKeys#TEMP_MARKER}), which listings never show but which costs
 * storage until something removes it. Kept out of {@link ObjectStore}: only the configured store, not its wrappers,
 * knows where its temporaries live.
 */
public interface TemporaryLeftovers {

    /** How old a leftover must be by default: a live put's temporary object lives for seconds. */
    Duration DEFAULT_MIN_AGE = Duration.ofHours(1);

    /**
     * Removes the temporary data last written more than {@code olderThan} ago. The age guard keeps a concurrent
     * writer's in-flight object safe; running it from several processes at once is harmless (removing what another
     * sweeper removed first is not an error).
     *
     * @param olderThan minimum age; {@link Duration#ZERO} removes every temporary written until now
     */
    SweptLeftovers sweepTemporary(Duration olderThan) throws IOException;
}
