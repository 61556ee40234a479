/**
 * Names ECS gives clusters, services, task-definition families and containers: 1 to 255 letters,
 * digits, hyphens and underscores, in any position.
 */
export const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/
