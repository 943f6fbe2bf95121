package org.nnunet.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the pipeline keeps everything it stores: raw tasks, cropped and preprocessed data, plans, checkpoints,
 * predictions and published models.
 *
 * <p>Keys are relative, '/'-separated paths laid out like nnU-Net v1's folders
 * ({@code nnUNet_raw_data/Task004_Hippocampus/imagesTr/hippocampus_001_0000.nii.gz},
 * {@code nnUNet_preprocessed/Task004_Hippocampus/nnUNetPlansv2.1_plans_3D.pkl.json}, ...); see {@link ObjectKeys} for
 * the rules. Writes are all-or-nothing: a reader sees either the previous content or the complete new content,
 * never a partial object, and a failed write leaves the previous content in place.
 */
public interface ObjectStore {

    /** Length to pass to {@link #put(String, InputStream, long)} when the stream length is not known in advance. */
    long UNKNOWN_LENGTH = -1;

    /**
     * Stores the stream under {@code key}, replacing any previous object once the whole stream has been written.
     *
     * @param length the exact number of bytes the stream yields, or {@link #UNKNOWN_LENGTH}; a stream that yields a
     *               different number of bytes fails the put and stores nothing
     */
    void put(String key, InputStream data, long length) throws IOException;

    /** Uploads a local file under {@code key}. */
    void put(String key, Path file) throws IOException;

    default void putBytes(String key, byte[] bytes) throws IOException {
        put(key, new ByteArrayInputStream(bytes), bytes.length);
    }

    /**
     * Opens the object for reading; the caller closes the stream.
     *
     * @throws ObjectNotFoundException when there is no object under {@code key}
     */
    InputStream get(String key) throws IOException;

    default byte[] getBytes(String key) throws IOException {
        try (InputStream in = get(key)) {
            return in.readAllBytes();
        }
    }

    /** Size and modification time of the object, or empty when there is none. */
    Optional<ObjectInfo> stat(String key) throws IOException;

    default boolean exists(String key) throws IOException {
        return stat(key).isPresent();
    }

    /**
     * Every object whose key starts with {@code prefix} (plain string prefix, so {@code "Task004/images"} matches
     * {@code "Task004/imagesTr/a.nii.gz"}), at any depth, sorted by key. {@code ""} lists the whole store.
     */
    List<ObjectInfo> list(String prefix) throws IOException;

    /** Removes the object; removing an absent key is not an error. */
    void delete(String key) throws IOException;

    /**
     * Copies {@code source} to {@code target} (replacing it atomically).
     *
     * @throws ObjectNotFoundException when {@code source} does not exist
     */
    void copy(String source, String target) throws IOException;

    /** Human-readable location used in logs and error messages, e.g. {@code file:/data/nnunet} or {@code s3://bucket}. */
    String location();
}
