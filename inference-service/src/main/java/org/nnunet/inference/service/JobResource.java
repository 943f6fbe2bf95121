package org.nnunet.inference.service;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.net.URI;

/** Asynchronous batch prediction over an object-store prefix, with status polling. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    /** Body of {@code POST /v1/tasks/{task}/jobs}. */
    public record JobRequest(String inputPrefix, String outputPrefix) {}

    private final BatchJobs jobs;

    public JobResource(BatchJobs jobs) {
        this.jobs = jobs;
    }

    @POST
    @Path("/tasks/{task}/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Predict every case CASE_XXXX.nii.gz under inputPrefix into outputPrefix/CASE.nii.gz; "
            + "answers 202 with the job id")
    public Response submit(@PathParam("task") String task, JobRequest request) throws IOException {
        PredictionResource.validTask(task);
        if (request == null) {
            throw new ApiException(400, "send a JSON body {\"inputPrefix\": ..., \"outputPrefix\": ...}");
        }
        BatchJobs.Job job = jobs.submit(task, request.inputPrefix(), request.outputPrefix());
        return Response.accepted(job).location(URI.create("/v1/jobs/" + job.id())).build();
    }

    @GET
    @Path("/jobs/{id}")
    @Operation(summary = "Status of a batch job")
    public BatchJobs.Job get(@PathParam("id") String id) {
        return jobs.get(id);
    }
}
