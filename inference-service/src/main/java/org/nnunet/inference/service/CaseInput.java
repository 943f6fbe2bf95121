package org.nnunet.inference.service;

import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;

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

/**
 * The modalities of one case as uploaded or listed: file names {@code CASE_XXXX.nii.gz} (or {@code .nii}), one per
 * modality {@code 0000, 0001, ...}, as nnU-Net v1 names test images. Every check that can fail on client input lives
 * here and answers with a 4xx {@link ApiException} naming the file and the problem.
 */
final class CaseInput {

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,127})_(\\d{4})\\.nii(\\.gz)?");
    /** Same geometry within this tolerance, as v1's verify_dataset_integrity compares modalities. */
    private static final double GEOMETRY_TOLERANCE = 1e-4;

    private CaseInput() {
    }

    /** A parsed file name. */
    record Name(String caseId, int modality) {}

    /** Parses a client file name; refuses paths, unknown patterns and other extensions. */
    static Name parseName(String fileName, int expectedModalities) {
        if (fileName == null || fileName.isBlank()) {
            throw new ApiException(400, "an uploaded part has no file name; name files CASE_0000.nii.gz, CASE_0001.nii.gz, ...");
        }
        if (fileName.contains("/") || fileName.contains("\\") || fileName.contains("..")
                || fileName.chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(400, "file name '" + printable(fileName)
                    + "' contains a path or control characters; send a plain name like CASE_0000.nii.gz");
        }
        Matcher m = NAME.matcher(fileName);
        if (m.matches()) {
            return new Name(m.group(1), Integer.parseInt(m.group(2)));
        }
        if (expectedModalities == 1 && (fileName.endsWith(".nii.gz") || fileName.endsWith(".nii"))
                && fileName.length() <= 140) {
            String id = fileName.substring(0, fileName.length() - (fileName.endsWith(".gz") ? 7 : 4));
            if (id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                return new Name(id, 0);
            }
        }
        throw new ApiException(400, "file name '" + printable(fileName) + "' is not CASE_XXXX.nii.gz (XXXX = the "
                + "4-digit modality index 0000.." + String.format("%04d", expectedModalities - 1) + ")");
    }

    /**
     * Reads the files of one case after checking names, count, sizes and that every modality shares the geometry of
     * {@code _0000}.
     *
     * @param files client file name -> local file
     */
    static List<Volume> read(Map<String, Path> files, int expectedModalities, long maxVoxels) {
        Map<Integer, Map.Entry<String, Path>> byModality = new TreeMap<>();
        String caseId = null;
        for (Map.Entry<String, Path> f : files.entrySet()) {
            Name n = parseName(f.getKey(), expectedModalities);
            if (caseId != null && !caseId.equals(n.caseId())) {
                throw new ApiException(400, "files of different cases in one request: '" + caseId + "' and '"
                        + n.caseId() + "'; send one case per request (or use a batch job)");
            }
            caseId = n.caseId();
            if (byModality.put(n.modality(), f) != null) {
                throw new ApiException(400, "modality " + String.format("%04d", n.modality()) + " sent twice");
            }
        }
        if (byModality.isEmpty()) {
            throw new ApiException(400, "no file uploaded; send one NIfTI file per modality as multipart/form-data");
        }
        for (int i = 0; i < expectedModalities; i++) {
            if (!byModality.containsKey(i)) {
                throw new ApiException(400, "modality " + String.format("%04d", i) + " is missing: the model needs "
                        + expectedModalities + " modalities (_0000.." + String.format("_%04d", expectedModalities - 1)
                        + "), got " + byModality.keySet().stream().map(m -> String.format("_%04d", m)).toList());
            }
        }
        if (byModality.size() > expectedModalities) {
            throw new ApiException(400, "got " + byModality.size() + " modalities, the model needs "
                    + expectedModalities);
        }
        List<Volume> volumes = new ArrayList<>();
        Volume first = null;
        String firstName = null;
        for (Map.Entry<String, Path> f : byModality.values()) {
            Volume v = readOne(f.getKey(), f.getValue(), maxVoxels);
            if (first == null) {
                first = v;
                firstName = f.getKey();
            } else if (!Arrays.equals(first.shape(), v.shape())) {
                throw new ApiException(422, "'" + f.getKey() + "' has shape " + Arrays.toString(v.shape())
                        + " (z, y, x) but '" + firstName + "' has " + Arrays.toString(first.shape())
                        + ": all modalities of a case must share one grid");
            } else if (!first.geometry().approximatelyEquals(v.geometry(), GEOMETRY_TOLERANCE)) {
                throw new ApiException(422, "'" + f.getKey() + "' has geometry " + v.geometry() + " but '"
                        + firstName + "' has " + first.geometry() + ": all modalities of a case must share spacing, "
                        + "origin and direction");
            }
            volumes.add(v);
        }
        if (volumes.stream().allMatch(CaseInput::allZero)) {
            throw new ApiException(422, "every voxel of every modality is 0: there is nothing to segment");
        }
        return volumes;
    }

    private static Volume readOne(String name, Path file, long maxVoxels) {
        try {
            if (Files.size(file) == 0) {
                throw new ApiException(400, "'" + name + "' is empty (0 bytes)");
            }
            long ndim = NiftiIO.readHeader(file).dim()[0];
            if (ndim < 3) { // the reader would give (1, y, x); the model was trained on 3D files
                throw new ApiException(422, "'" + name + "' has " + ndim + " dimensions, expected a 3D image (a 2D "
                        + "image as a 3D file with one slice)");
            }
            Volume v = NiftiIO.read(file);
            if (v.voxelCount() > maxVoxels) {
                throw new ApiException(413, "'" + name + "' has " + v.voxelCount() + " voxels, more than the limit "
                        + maxVoxels);
            }
            return v;
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // the reader names its (temporary) file: name the client's file instead
            throw new ApiException(422, "'" + name + "' is not a readable NIfTI-1 image: "
                    + msg.replace(file.toString(), name));
        } catch (OutOfMemoryError e) {
            throw new ApiException(413, "'" + name + "' is too large to read");
        }
    }

    private static boolean allZero(Volume v) {
        for (float f : v.data()) {
            if (f != 0f) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.length() > 200 ? b.substring(0, 200) + "..." : b.toString();
    }
}
