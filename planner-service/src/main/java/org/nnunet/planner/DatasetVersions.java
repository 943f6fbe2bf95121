package org.nnunet.planner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.nnunet.dataset.DatasetJson;
import org.nnunet.dataset.TaskName;
import org.nnunet.service.VersionLayout;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Cuts immutable dataset versions from a task's raw objects: the objects under {@code RAW/TASK/} are copied
 * (server-side) to {@code versions/TASK/vN/raw/} and listed in {@code versions/TASK/vN/manifest.json}, written last,
 * so a version without a manifest is incomplete and its number is reused. When the raw objects (key and size) equal
 * the latest version's manifest nothing is cut: a redelivered notification does not make a new version.
 */
final class DatasetVersions {

    record Manifest(String task, String version, String createdAt, int trainingCases, List<Entry> objects) {
    }

    record Entry(String key, long size) {
    }

    /** A version that was just cut. */
    record Cut(String version, String rawPrefix, int trainingCases) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectStore store;
    private final String rawPrefix;

    DatasetVersions(ObjectStore store, String rawPrefix) {
        this.store = store;
        this.rawPrefix = rawPrefix;
    }

    /** The task named by a raw object key, or empty when the key is not under the raw prefix. */
    Optional<String> taskOf(String key) {
        if (!key.startsWith(rawPrefix)) {
            return Optional.empty();
        }
        String rest = key.substring(rawPrefix.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String task = rest.substring(0, slash);
        try {
            TaskName.parse(task);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(task);
    }

    String rawTaskPrefix(String task) {
        return rawPrefix + task + "/";
    }

    /** Cuts a new version of {@code task} unless its raw objects did not change since the latest version. */
    Optional<Cut> cut(String task) throws IOException {
        String prefix = rawTaskPrefix(task);
        List<ObjectInfo> raw = store.list(prefix);
        if (raw.isEmpty()) {
            throw new IOException(store.location() + "/" + prefix + ": no raw objects for " + task);
        }
        List<Entry> entries = raw.stream().map(o -> new Entry(o.key(), o.size())).toList();
        int latest = latestVersion(task);
        if (latest > 0) {
            Manifest previous = readManifest(new VersionLayout(task, "v" + latest));
            if (previous.objects().equals(entries)) {
                return Optional.empty();
            }
        }
        String datasetJsonKey = prefix + "dataset.json";
        if (!store.exists(datasetJsonKey)) {
            throw new IOException(store.location() + "/" + datasetJsonKey + ": missing, cannot cut a version of "
                    + task + " (upload dataset.json with the images)");
        }
        int trainingCases = trainingCases(datasetJsonKey);
        VersionLayout version = new VersionLayout(task, "v" + (latest + 1));
        for (ObjectInfo o : raw) {
            store.copy(o.key(), version.raw() + o.key().substring(prefix.length()));
        }
        Manifest manifest = new Manifest(task, version.version(), Instant.now().toString(), trainingCases, entries);
        store.putBytes(version.manifest(), JSON.writeValueAsBytes(manifest));
        return Optional.of(new Cut(version.version(), version.raw(), trainingCases));
    }

    /** Highest N with a complete {@code versions/TASK/vN/manifest.json}, 0 when there is none. */
    int latestVersion(String task) throws IOException {
        String prefix = VersionLayout.versionsOf(task);
        int latest = 0;
        for (ObjectInfo o : store.list(prefix)) {
            String rest = o.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && rest.substring(slash + 1).equals("manifest.json")) {
                latest = Math.max(latest, VersionLayout.versionNumber(rest.substring(0, slash)));
            }
        }
        return latest;
    }

    Manifest readManifest(VersionLayout version) throws IOException {
        return JSON.readValue(store.getBytes(version.manifest()), Manifest.class);
    }

    private int trainingCases(String datasetJsonKey) throws IOException {
        Path tmp = Files.createTempFile("dataset", ".json");
        try {
            Files.write(tmp, store.getBytes(datasetJsonKey));
            return DatasetJson.read(tmp).training().size();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
