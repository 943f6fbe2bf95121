package org.nnunet.planner;

import org.jboss.logging.Logger;
import org.nnunet.cropping.RawCase;
import org.nnunet.dataset.DatasetIntegrityChecker;
import org.nnunet.dataset.RawDataset;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.VersionLayout;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nnUNet_plan_and_preprocess with {@code -no_pp} for one dataset version, on a local copy: integrity check, crop,
 * fingerprint and plans; the cropped folder and the plans folder are then uploaded under the version.
 */
final class Planning {

    /** What was stored: the plans keys and the configurations they allow. */
    record Planned(List<String> plansKeys, List<String> configurations) {
    }

    private static final Logger LOG = Logger.getLogger(Planning.class);

    private final ObjectStore store;
    private final PlannerConfig config;

    Planning(ObjectStore store, PlannerConfig config) {
        this.store = store;
        this.config = config;
    }

    Planned plan(VersionLayout version) throws IOException {
        Path work = Files.createTempDirectory("nnunet-plan-" + version.task() + "-" + version.version());
        try {
            Path raw = work.resolve("raw").resolve(version.task());
            int n = StoreFolders.download(store, version.raw(), raw);
            LOG.infof("downloaded %d raw objects of %s %s", n, version.task(), version.version());
            LOG.info(new DatasetIntegrityChecker(config.threads()).verify(raw).describe());
            RawDataset dataset = RawDataset.open(raw);
            List<RawCase> cases = dataset.trainingCases().stream()
                    .map(c -> new RawCase(c.id(), c.images(), c.label())).toList();
            Map<Integer, String> modalities = new LinkedHashMap<>();
            dataset.datasetJson().modality().forEach((k, v) -> modalities.put(Integer.parseInt(k), v));
            Path cropped = work.resolve("cropped").resolve(version.task());
            Path preprocessed = work.resolve("preprocessed").resolve(version.task());
            PlanAndPreprocess.Result result = new PlanAndPreprocess(cases, raw.resolve("dataset.json"),
                    dataset.datasetJson().labels(), modalities, cropped, preprocessed, config.threads(),
                    config.threads(), config.plan3d(), config.plan2d()).run(null, LOG::info);
            StoreFolders.upload(store, cropped, version.cropped());
            StoreFolders.upload(store, preprocessed, version.preprocessed());
            List<String> plansKeys = new ArrayList<>();
            List<String> configurations = new ArrayList<>();
            if (result.plans2d() != null) {
                plansKeys.add(version.preprocessed() + PlansIO.PLANS_2D);
                configurations.add("2d");
            }
            if (result.plans3d() != null) {
                plansKeys.add(version.preprocessed() + PlansIO.PLANS_3D);
                configurations.addAll(configurations3d(result.plans3d()));
            }
            return new Planned(plansKeys, configurations);
        } finally {
            StoreFolders.deleteQuietly(work);
        }
    }

    /**
     * The 3D configurations v1 would train (nnUNet_plan_and_preprocess / the v1 README): 3d_fullres, plus 3d_lowres
     * and 3d_cascade_fullres when the plans have a low-resolution stage. The preprocess service requests the
     * cascade's folds only once every 3d_lowres fold is trained (it trains on their {@code pred_next_stage}).
     */
    static List<String> configurations3d(Plans plans) {
        return plans.numStages() > 1 ? List.of("3d_fullres", "3d_lowres", "3d_cascade_fullres")
                : List.of("3d_fullres");
    }
}
