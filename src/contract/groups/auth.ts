/**
 * User Authentication (API.md §2.2): login, refresh, logout.
 *
 * These have no tool of their own (`toolName: null`): the session tools and
 * the session machinery call them. Login takes no credential (`modes: []`);
 * refresh and logout take the user JWT only.
 */
import * as z from "zod/mini";
import { NO_CREDENTIAL, USER_ONLY } from "../enums";
import { text } from "../fields";
import type { Operation } from "../types";

/** The three auth operations, under `/api/public/auth` (no `v1` segment). */
export const AUTH_OPERATIONS: readonly Operation[] = [
  {
    id: "auth.login",
    group: "User Authentication",
    resource: "auth",
    kind: "action",
    method: "POST",
    path: "/api/public/auth/login",
    body: {
      wrapper: null,
      fields: z.object({
        email: text("E-mail address of the Passgage user"),
        password: text("The user's password"),
      }),
    },
    modes: NO_CREDENTIAL,
    toolName: null,
    title: "Log in",
    description:
      "Exchanges a user's e-mail and password for a user JWT (data.token, valid 30 days, expiry in data.expires_at) plus the user's profile and company. Needs no credential. 401 for wrong credentials or an inactive account; 422 if either field is missing.",
    successStatus: 200,
  },
  {
    id: "auth.refresh",
    group: "User Authentication",
    resource: "auth",
    kind: "action",
    method: "POST",
    path: "/api/public/auth/refresh",
    modes: USER_ONLY,
    toolName: null,
    title: "Refresh token",
    description: "Renews the calling user JWT; returns a new data.token and data.expires_at. 401 when the token cannot be refreshed.",
    successStatus: 200,
  },
  {
    id: "auth.logout",
    group: "User Authentication",
    resource: "auth",
    kind: "action",
    method: "DELETE",
    path: "/api/public/auth/logout",
    modes: USER_ONLY,
    toolName: null,
    title: "Log out",
    description: "Invalidates the calling user JWT. Returns an empty data object.",
    successStatus: 200,
  },
];
