package org.nnunet.ensembling;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.inference.CaseSegmenter;
import org.nnunet.inference.EnsemblePackage;
import org.nnunet.inference.ModelPackage;
import org.nnunet.inference.ModelPredictor;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.planning.PlansIO;
import org.nnunet.postprocessing.PostprocessingPlan;

/**
 * An {@link EnsemblePackage} loaded for prediction, v1's way of predicting with an ensemble of configurations
 * ({@code nnUNet_predict --save_npz} per configuration, then {@code nnUNet_ensemble -pp}): every member predicts the
 * case without postprocessing and keeps its softmax at the input's geometry; the softmax of the members is averaged
 * ({@link SoftmaxEnsembler}), argmax'd, exported and postprocessed with the ensemble's own plan. A 3d_cascade_fullres
 * member gets its input from its 3d_lowres folds first, as {@code nnUNet_predict -m 3d_cascade_fullres} does.
 */
public final class EnsemblePredictor implements CaseSegmenter {

    private final List<ModelPredictor> members;
    private final PostprocessingPlan postprocessing;
    private final Path scratch;
    /** The 3d_lowres folds that give a 3d_cascade_fullres member its input, and that member's index; or null, -1. */
    private final ModelPredictor cascadeLowres;
    private final int cascadeMember;

    private EnsemblePredictor(List<ModelPredictor> members, PostprocessingPlan postprocessing, Path scratch,
                              ModelPredictor cascadeLowres, int cascadeMember) {
        this.members = members;
        this.postprocessing = postprocessing;
        this.scratch = scratch;
        this.cascadeLowres = cascadeLowres;
        this.cascadeMember = cascadeMember;
    }

    /**
     * Loads every member's folds ({@code model_final_checkpoint}, step 0.5, TTA, softmax kept, no postprocessing).
     *
     * @param scratch folder for the members' per-request softmax files
     */
    public static EnsemblePredictor load(EnsemblePackage.Local pkg, Device device, Path scratch) throws IOException {
        List<ModelPredictor> members = new ArrayList<>();
        ModelPredictor cascadeLowres = null;
        try {
            for (ModelPackage.Local member : pkg.members().values()) {
                ModelPackage.Manifest m = member.manifest();
                ModelPredictor.Options options = new ModelPredictor.Options(m.folds(), ModelPackage.CHECKPOINT, 0.5,
                        true, true, false);
                Map<Integer, Path> foldDirs = new java.util.LinkedHashMap<>();
                m.folds().forEach(f -> foldDirs.put(f, member.foldDir(f)));
                members.add(new ModelPredictor(PlansIO.read(member.plansFile()), m.configuration(), foldDirs, options,
                        null, device, line -> { }));
            }
            if (members.get(0).numModalities() != members.get(members.size() - 1).numModalities()) {
                throw new IOException(pkg.dir() + ": the members of the ensemble need different numbers of modalities");
            }
            PostprocessingPlan pp = pkg.postprocessingFile().isPresent()
                    ? PostprocessingPlan.read(pkg.postprocessingFile().get()) : null;
            int cascadeMember = List.copyOf(pkg.members().keySet()).indexOf(ModelPredictor.CASCADE);
            if (cascadeMember >= 0) {
                // nnUNet_predict -m 3d_cascade_fullres: the member's 3d_lowres model predicts its input first
                ModelPackage.Local lowres = pkg.cascadeLowres().orElseThrow();
                if (!Files.isDirectory(lowres.dir())) {
                    throw new IOException(lowres.dir() + ": the 3d_cascade_fullres member's 3d_lowres folds missing");
                }
                cascadeLowres = ModelPredictor.fromPackage(lowres, device);
            }
            return new EnsemblePredictor(members, pp, Files.createDirectories(scratch), cascadeLowres, cascadeMember);
        } catch (IOException | RuntimeException e) {
            members.forEach(ModelPredictor::close);
            if (cascadeLowres != null) {
                cascadeLowres.close();
            }
            throw e;
        }
    }

    @Override
    public int numModalities() {
        return members.get(0).numModalities();
    }

    @Override
    public LabelVolume predict(String caseId, List<Volume> modalities, Path niftiFile) throws IOException {
        Path work = Files.createTempDirectory(scratch, "ensemble-");
        try {
            List<Path> folders = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                Path folder = Files.createDirectories(work.resolve("member_" + i));
                if (i == cascadeMember) {
                    Path lowres = Files.createDirectories(work.resolve("lowres")).resolve(caseId + ".nii.gz");
                    cascadeLowres.predict(caseId, modalities, lowres);
                    members.get(i).predict(caseId, modalities, NiftiIO.read(lowres), folder.resolve(caseId + ".nii.gz"));
                } else {
                    members.get(i).predict(caseId, modalities, folder.resolve(caseId + ".nii.gz"));
                }
                folders.add(folder);
            }
            Path merged = work.resolve("ensembled");
            new SoftmaxEnsembler().merge(folders, merged, postprocessing, false);
            Path result = postprocessing == null ? merged : work.resolve("ensembled_postprocessed");
            Files.move(result.resolve(caseId + ".nii.gz"), niftiFile, StandardCopyOption.REPLACE_EXISTING);
            return LabelVolume.of(NiftiIO.read(niftiFile));
        } finally {
            deleteTree(work);
        }
    }

    @Override
    public void close() {
        members.forEach(ModelPredictor::close);
        if (cascadeLowres != null) {
            cascadeLowres.close();
        }
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // scratch files only: the folder is removed with the model
        }
    }
}
