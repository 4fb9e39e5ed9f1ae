/** Path parameters of the organization API routes (ids are opaque strings; a wrong one is "not found"). */
import { z } from "zod";

const id = z.string().min(1).max(64);
export const clusterParams = z.object({ clusterId: id });
export const tokenParams = z.object({ clusterId: id, tokenId: id });
