package org.nnunet.nifti.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NibabelScript;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.nifti.NiftiImage;

/**
 * NIfTI read throughput, ours vs nibabel ({@code np.asanyarray(nib.load(p, mmap=False).dataobj)}, timed inside
 * python so interpreter start is excluded; without mmap=False nibabel would only map a .nii, not read it), in MB/s
 * (10^6 bytes) of on-disk voxel data. Ours also converts to float; nibabel keeps the disk dtype. Best of 5 timed
 * passes (30 for a single file) after one warm-up.
 * Run: {@code mvn -pl nnunet-core -am test -Dgroups=benchmark -DexcludedGroups=none -Dtest=NiftiReadBenchmark
 * -Dnnunet.shared.dir=/work/shared}.
 */
@Tag("benchmark")
class NiftiReadBenchmark {
    /** Timed passes, best one kept: more for a single file, whose pass is short and noisy on a shared machine. */
    private static int passes(List<Path> files) {
        return files.size() < 10 ? 30 : 5;
    }

    @TempDir
    Path tmp;

    @Test
    void readThroughput() throws Exception {
        Path hippocampus = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data/Task04_Hippocampus");
        Path ch2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
        assumeTrue(Files.isDirectory(hippocampus) && Files.exists(ch2) && NibabelScript.available());
        List<Path> hippoGz = new ArrayList<>();
        for (String sub : List.of("imagesTr", "labelsTr", "imagesTs")) {
            try (Stream<Path> s = Files.list(hippocampus.resolve(sub))) {
                s.filter(p -> p.getFileName().toString().matches("hippocampus_\\d+\\.nii\\.gz")).sorted()
                        .forEach(hippoGz::add);
            }
        }
        List<Path> hippoNii = new ArrayList<>();
        for (Path p : hippoGz) {
            hippoNii.add(gunzip(p, tmp.resolve(p.getParent().getFileName() + "_" + p.getFileName())));
        }
        Path ch2Nii = gunzip(ch2, tmp.resolve("ch2.nii.gz"));

        System.out.printf("%nNIfTI read throughput, MB/s of voxel data (%d cores)%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf("| %-28s | %5s | %9s | %9s | %9s | %7s |%n", "files", "count", "voxel MB", "ours",
                "nibabel", "ratio");
        System.out.println("|------------------------------|-------|-----------|-----------|-----------|---------|");
        row("Hippocampus .nii.gz", hippoGz);
        row("Hippocampus .nii", hippoNii);
        row("ch2 .nii.gz (181x217x181 u8)", List.of(ch2));
        row("ch2 .nii", List.of(ch2Nii));
    }

    private void row(String name, List<Path> files) throws Exception {
        long bytes = 0;
        for (Path p : files) { // warm-up pass, and the voxel byte count
            NiftiImage image = NiftiIO.readWithHeader(p);
            for (Volume v : image.volumes()) {
                bytes += (long) v.voxelCount() * image.dataType().bytes;
            }
        }
        double best = Double.MAX_VALUE;
        for (int pass = 0; pass < passes(files); pass++) {
            long start = System.nanoTime();
            for (Path p : files) {
                NiftiIO.readChannels(p);
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        JsonNode nib = NibabelScript.run(tmp, List.of("bench", String.valueOf(passes(files))),
                files.stream().map(Path::toString).toList()).get(0);
        double ours = bytes / best / 1e6;
        double theirs = nib.get("bytes").asDouble() / nib.get("seconds").asDouble() / 1e6;
        System.out.printf("| %-28s | %5d | %9.1f | %9.1f | %9.1f | %6.2fx |%n", name, files.size(), bytes / 1e6,
                ours, theirs, ours / theirs);
    }

    /** Decompresses next to the other temp files, so the .nii rows read the same voxels uncompressed. */
    private static Path gunzip(Path gz, Path target) throws IOException {
        Path nii = target.resolveSibling(target.getFileName().toString().replace(".nii.gz", ".nii"));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            Files.copy(in, nii);
        }
        return nii;
    }
}
