package org.nnunet.planning.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.cropping.ImageCropper;
import org.nnunet.cropping.RawCase;
import org.nnunet.planning.DatasetAnalyzer;
import org.nnunet.planning.DatasetFingerprint;
import org.nnunet.planning.ExperimentPlanner2D;
import org.nnunet.planning.ExperimentPlanner3D;
import org.nnunet.planning.HippocampusData;
import org.nnunet.planning.Plans;

/**
 * Wall time of cropping, fingerprint and planning for Task04_Hippocampus (208 cases, read in place).
 * Run: {@code mvn -pl nnunet-core -am test -Dtest=PlanningBenchmark -Dgroups=benchmark -DexcludedGroups=none
 * -Dnnunet.shared.dir=/work/shared -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class PlanningBenchmark {

    @Test
    void hippocampusCropFingerprintPlan() throws Exception {
        HippocampusData data = HippocampusData.loadOrSkip();
        List<RawCase> cases = data.cases;
        int threads = Runtime.getRuntime().availableProcessors();
        Path tmp = Files.createTempDirectory("planning-bench");
        try {
            CroppedDataFolder cropped = new CroppedDataFolder(tmp.resolve("cropped"));
            long t0 = System.nanoTime();
            ImageCropper.run(cases, cropped, threads, true);
            long t1 = System.nanoTime();
            DatasetFingerprint fp = DatasetAnalyzer.analyze(cropped, data.labels, data.modalities, false, threads);
            long t2 = System.nanoTime();
            Plans p3 = new ExperimentPlanner3D(fp, cropped.dir(), tmp).plan();
            Plans p2 = new ExperimentPlanner2D(fp, cropped.dir(), tmp).plan();
            long t3 = System.nanoTime();
            System.out.printf("%nTask04_Hippocampus, %d cases, %d threads (%d cores)%n", cases.size(), threads,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("| %-28s | %10s |%n", "phase", "wall ms");
            System.out.printf("|%s|%s|%n", "-".repeat(30), "-".repeat(12));
            System.out.printf("| %-28s | %10.0f |%n", "crop (read NIfTI, write npy)", (t1 - t0) / 1e6);
            System.out.printf("| %-28s | %10.0f |%n", "fingerprint", (t2 - t1) / 1e6);
            System.out.printf("| %-28s | %10.0f |%n", "plan 3D + 2D", (t3 - t2) / 1e6);
            System.out.printf("| %-28s | %10.0f |%n", "total", (t3 - t0) / 1e6);
            System.out.printf("3d patch %s bs %d; 2d patch %s bs %d%n",
                    java.util.Arrays.toString(p3.fullResolution().patchSize()), p3.fullResolution().batchSize(),
                    java.util.Arrays.toString(p2.stage(0).patchSize()), p2.stage(0).batchSize());
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
