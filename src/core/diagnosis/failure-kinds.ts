/**
 * The documented set of reasons a task fails, each with what it means and what to do next. The
 * diagnosis files every failed task under exactly one of them (`unknown` keeps the raw text).
 */

export const FAILURE_KINDS = {
  'image-pull': {
    title: 'The image cannot be pulled',
    explanation: 'ECS could not pull the container image: the tag or digest does not exist, the registry refused the credentials, or the registry could not be reached.',
    nextStep: 'Check the image name and tag in the task definition, the registry credentials (repositoryCredentials) and that the task can reach the registry (public IP or NAT / VPC endpoints).',
  },
  'secrets-unreadable': {
    title: 'Secrets or parameters cannot be read',
    explanation: 'The task could not read a secret or SSM parameter it references before starting (ResourceInitializationError, or access denied for the execution role).',
    nextStep: "Check that each referenced secret/parameter exists and that the task execution role may read it (secretsmanager:GetSecretValue, ssm:GetParameters, kms:Decrypt).",
  },
  'out-of-memory': {
    title: 'Out of memory',
    explanation: 'A container used more memory than its limit and was killed (exit code 137, OutOfMemoryError).',
    nextStep: "Raise the container's memory (or the task's), or find what grows in the application's memory use.",
  },
  'essential-container-exited': {
    title: 'An essential container exited',
    explanation: 'An essential container stopped on its own, so ECS stopped the whole task.',
    nextStep: "Read the container's last log lines below: the application crashed or finished; check its command, environment and configuration.",
  },
  'container-health-check': {
    title: 'The container health check failed',
    explanation: "The container's own health check (healthCheck in the task definition) reported it unhealthy, so ECS replaced the task.",
    nextStep: 'Check the health check command and its startPeriod, interval and retries against how long the application takes to become ready.',
  },
  'load-balancer-health-check': {
    title: 'Load balancer health checks failed',
    explanation: "The target group's health checks did not pass for the task, so the service replaced it.",
    nextStep: "Check the target group's health check path, port and expected codes, the security groups between load balancer and task, and the service's healthCheckGracePeriodSeconds.",
  },
  'capacity-unavailable': {
    title: 'Not enough capacity',
    explanation: 'ECS could not place or keep the task: Fargate capacity was unavailable, or no instance had enough CPU, memory, ports or ENIs.',
    nextStep: 'Retry later or in other subnets / availability zones, use another capacity provider, or reduce the requested CPU and memory.',
  },
  'network-configuration': {
    title: 'Network configuration',
    explanation: "The task's network interface could not be set up: subnet, security group, free IP addresses or ENI limits.",
    nextStep: 'Check the subnets and security groups of the service, the free IP addresses in the subnets and the account ENI limits.',
  },
  unknown: {
    title: 'Unknown reason',
    explanation: 'The stop reason matches none of the known failures; it is shown as ECS gave it.',
    nextStep: "Read the stop reason and the container's last log lines below.",
  },
} as const satisfies Record<string, { title: string; explanation: string; nextStep: string }>

export type FailureKind = keyof typeof FAILURE_KINDS
