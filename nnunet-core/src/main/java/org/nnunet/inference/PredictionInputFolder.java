package org.nnunet.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nnunet.cropping.RawCase;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;

/**
 * The input folder of {@code nnUNet_predict}, checked before any compute (v1.7.1
 * {@code check_input_folder_and_return_caseIDs}, plus the geometry check v1 only hits later, inside the cropper):
 * every file is {@code CASE_XXXX.nii.gz}, every case has each modality {@code 0000 .. n-1}, and a case's modalities
 * share size, spacing, origin and direction ({@code np.isclose} defaults, as v1's verify_same_geometry).
 */
public final class PredictionInputFolder {
    private static final Pattern MODALITY_FILE = Pattern.compile("(.+)_(\\d{4})\\.nii\\.gz");

    private PredictionInputFolder() {}

    /** @return the cases, sorted by id, each with its modality files in order */
    public static List<RawCase> check(Path folder, int numModalities) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": input folder does not exist");
        }
        Map<String, TreeMap<Integer, Path>> cases = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || Files.isDirectory(f)) {
                    continue;
                }
                Matcher m = MODALITY_FILE.matcher(name);
                if (!m.matches()) {
                    problems.add(f + ": not a CASE_XXXX.nii.gz file (nnU-Net reads .nii.gz named "
                            + "<case>_<4-digit modality>.nii.gz)");
                    continue;
                }
                int modality = Integer.parseInt(m.group(2));
                TreeMap<Integer, Path> modalities = cases.computeIfAbsent(m.group(1), k -> new TreeMap<>());
                if (modality >= numModalities) {
                    problems.add(f + ": modality " + modality + ", but the model has " + numModalities
                            + " (0000.." + String.format("%04d", numModalities - 1) + ")");
                    continue;
                }
                modalities.put(modality, f);
            }
        }
        for (Map.Entry<String, TreeMap<Integer, Path>> c : cases.entrySet()) {
            for (int m = 0; m < numModalities; m++) {
                if (!c.getValue().containsKey(m)) {
                    problems.add(folder.resolve(String.format("%s_%04d.nii.gz", c.getKey(), m))
                            + ": missing (case " + c.getKey() + " needs " + numModalities + " modalities)");
                }
            }
        }
        if (problems.isEmpty() && cases.isEmpty()) {
            problems.add(folder + ": no CASE_XXXX.nii.gz files");
        }
        fail(problems);
        List<RawCase> result = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, Path>> c : cases.entrySet()) {
            List<Path> files = new ArrayList<>(c.getValue().values());
            checkGeometry(files, problems);
            result.add(new RawCase(c.getKey(), files, null));
        }
        fail(problems);
        return result;
    }

    private static void checkGeometry(List<Path> files, List<String> problems) throws IOException {
        Volume first = read(files.get(0));
        for (Path f : files.subList(1, files.size())) {
            Volume v = read(f);
            String against = " of " + f + " does not match " + files.get(0) + ": ";
            ImageGeometry a = v.geometry();
            ImageGeometry b = first.geometry();
            if (!Arrays.equals(v.shape(), first.shape())) {
                problems.add("the size (z,y,x)" + against + Arrays.toString(v.shape()) + " vs "
                        + Arrays.toString(first.shape()));
            } else if (!isClose(a.itkSpacing(), b.itkSpacing()) || !isClose(a.itkOrigin(), b.itkOrigin())
                    || !isClose(a.itkDirection(), b.itkDirection())) {
                problems.add("the geometry (spacing, origin, direction)" + against + Arrays.toString(a.itkSpacing())
                        + " " + Arrays.toString(a.itkOrigin()) + " vs " + Arrays.toString(b.itkSpacing()) + " "
                        + Arrays.toString(b.itkOrigin()));
            }
        }
    }

    private static Volume read(Path f) throws IOException {
        try {
            return NiftiIO.read(f);
        } catch (IOException | RuntimeException e) {
            throw new IOException(f + ": cannot read as NIfTI: " + e.getMessage(), e);
        }
    }

    private static boolean isClose(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= 1e-8 + 1e-5 * Math.abs(b[i]))) {
                return false;
            }
        }
        return true;
    }

    private static void fail(List<String> problems) throws IOException {
        if (!problems.isEmpty()) {
            throw new IOException("invalid prediction input (nothing was predicted):\n  "
                    + String.join("\n  ", problems));
        }
    }
}
