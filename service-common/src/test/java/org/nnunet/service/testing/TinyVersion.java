package org.nnunet.service.testing;

import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.cropping.RawCase;
import org.nnunet.dataset.RawDataset;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.preprocessing.PlansPreprocessing;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.VersionLayout;
import org.nnunet.storage.ObjectStore;
import org.nnunet.training.CrossValidationSplits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset version of a {@link TinyTask} put into the store as an upstream service would leave it, so each service
 * test starts from its own input: {@link #planned} = what the planner stores (raw, cropped, 3D plans),
 * {@link #preprocessed} = plus what the preprocess service stores (stage folder, gt_segmentations, splits).
 */
public final class TinyVersion {

    private TinyVersion() {
    }

    public static VersionLayout planned(ObjectStore store, String task, int cases) throws IOException {
        return build(store, task, cases, false);
    }

    public static VersionLayout preprocessed(ObjectStore store, String task, int cases) throws IOException {
        return build(store, task, cases, true);
    }

    private static VersionLayout build(ObjectStore store, String task, int cases, boolean preprocess)
            throws IOException {
        VersionLayout version = new VersionLayout(task, "v1");
        Path work = Files.createTempDirectory("tiny-version");
        try {
            Path raw = work.resolve("raw");
            TinyTask.write(raw, cases, 7);
            RawDataset dataset = RawDataset.open(raw);
            List<RawCase> rawCases = dataset.trainingCases().stream()
                    .map(c -> new RawCase(c.id(), c.images(), c.label())).toList();
            Map<Integer, String> modalities = new LinkedHashMap<>();
            dataset.datasetJson().modality().forEach((k, v) -> modalities.put(Integer.parseInt(k), v));
            Path cropped = work.resolve("cropped");
            Path preprocessed = work.resolve("preprocessed");
            new PlanAndPreprocess(rawCases, raw.resolve("dataset.json"), dataset.datasetJson().labels(), modalities,
                    cropped, preprocessed, 1, 1, true, false).run(preprocess ? new PlansPreprocessing() : null, l -> { });
            if (preprocess) {
                CrossValidationSplits.loadOrCreate(preprocessed, new CroppedDataFolder(cropped).caseIds());
            }
            StoreFolders.upload(store, raw, version.raw());
            StoreFolders.upload(store, cropped, version.cropped());
            StoreFolders.upload(store, preprocessed, version.preprocessed());
            return version;
        } finally {
            StoreFolders.deleteQuietly(work);
        }
    }
}
