import * as z from "zod";

/** What dockbuild needs to know about an image the engine holds. */
export interface ImageDetails {
  id: string;
  sizeBytes: number;
  labels: Record<string, string>;
  tags: string[];
}

// `docker image inspect`, `GET /images/{name}/json`: https://github.com/moby/moby/blob/v20.10.24/api/types/types.go (ImageInspect)
export const imageInspectSchema = z.object({
  Id: z.string(),
  RepoTags: z.array(z.string()).nullish(),
  Size: z.number(),
  Config: z.object({ Labels: z.record(z.string(), z.string()).nullish() }).nullish(),
});

/** The fields dockbuild keeps of one inspected image. */
export function toImageDetails(image: z.infer<typeof imageInspectSchema>): ImageDetails {
  return {
    id: image.Id,
    sizeBytes: image.Size,
    labels: image.Config?.Labels ?? {},
    tags: image.RepoTags ?? [],
  };
}
