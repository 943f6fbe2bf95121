package org.nnunet.inference.service;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.nnunet.inference.ModelPackage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per task: what model it serves, synchronous prediction of one case, and batch jobs over a prefix. */
@Path("/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class PredictionResource {

    public static final String NIFTI_GZ = "application/gzip";

    /** Body of {@code POST /v1/tasks/{task}/jobs}. */
    public record JobRequest(String inputPrefix, String outputPrefix) {}

    private final PredictionService predictions;
    private final ModelRegistry registry;
    private final BatchJobs jobs;

    public PredictionResource(PredictionService predictions, ModelRegistry registry, BatchJobs jobs) {
        this.predictions = predictions;
        this.registry = registry;
        this.jobs = jobs;
    }

    @GET
    @Operation(summary = "Tasks with a served model (and configured tasks without one)")
    public List<ModelRegistry.TaskState> tasks() {
        return List.copyOf(registry.states().values());
    }

    @GET
    @Path("/{task}/model")
    @Operation(summary = "The model version served for the task: model.json of its package")
    public Response model(@PathParam("task") String task) {
        validTask(task);
        ModelRegistry.TaskState state = registry.state(task);
        return registry.manifest(task)
                .map(m -> Response.ok(Map.of("task", task, "version", m.version(), "configuration", m.configuration(),
                        "folds", m.folds(), "metrics", m.metrics(), "datasetVersion", m.datasetVersion(),
                        "createdAt", m.createdAt(), "state", state.state(), "detail", state.detail())).build())
                .orElseGet(() -> ApiErrors.json(404, "no model is served for task " + task + ": " + state.detail()));
    }

    @POST
    @Path("/{task}/predictions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces({NIFTI_GZ, MediaType.APPLICATION_JSON})
    @Operation(summary = "Segment one case: multipart files CASE_0000.nii.gz, CASE_0001.nii.gz, ... (one per "
            + "modality); answers the segmentation as NIfTI (uint8, the input's geometry)")
    public Response predict(@PathParam("task") String task, @RestForm(FileUpload.ALL) List<FileUpload> files)
            throws IOException {
        validTask(task);
        Map<String, java.nio.file.Path> byName = new LinkedHashMap<>();
        for (FileUpload f : files == null ? List.<FileUpload>of() : files) {
            if (f.fileName() == null) {
                continue; // a plain form field, not a file
            }
            if (byName.put(f.fileName(), f.uploadedFile()) != null) {
                throw new ApiException(400, "file '" + f.fileName() + "' uploaded twice");
            }
        }
        PredictionService.Prediction p = predictions.predict(task, byName);
        StreamingOutput body = out -> {
            try {
                Files.copy(p.niftiFile(), out);
            } finally {
                Files.deleteIfExists(p.niftiFile());
            }
        };
        return Response.ok(body, NIFTI_GZ)
                .header("Content-Disposition", "attachment; filename=\"" + p.caseId() + ".nii.gz\"")
                .header("X-Model-Version", p.version())
                .build();
    }

    @POST
    @Path("/{task}/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Predict every case CASE_XXXX.nii.gz under inputPrefix into outputPrefix/CASE.nii.gz; "
            + "answers 202 with the job id")
    public Response submit(@PathParam("task") String task, JobRequest request) throws IOException {
        validTask(task);
        if (request == null) {
            throw new ApiException(400, "send a JSON body {\"inputPrefix\": ..., \"outputPrefix\": ...}");
        }
        BatchJobs.Job job = jobs.submit(task, request.inputPrefix(), request.outputPrefix());
        return Response.accepted(job).location(URI.create("/v1/jobs/" + job.id())).build();
    }

    static void validTask(String task) {
        try {
            ModelPackage.requireTask(task);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
    }
}
