/**
 * Every example request body of the seed document decodes through the SDK schemas the original
 * service unmarshalled it into (test/fixtures/seed/README.md lists them).
 */
import { RunTaskRequest$ } from '@aws-sdk/client-ecs'
import type { RunTaskCommandInput } from '@aws-sdk/client-ecs'
import { CreateSecretRequest$ } from '@aws-sdk/client-secrets-manager'
import { PutParameterRequest$ } from '@aws-sdk/client-ssm'
import { describe, expect, it } from 'vitest'

import { decode } from '../../src/codec/index.js'
import {
  SecretUpdateBody,
  ServiceCreateBody,
  ServiceUpdateBody,
  TaskDefCreateBody,
  seedFixture,
} from './seed-shapes.js'

const webserverSecret = '{"username" : "supahman","password" : "dontkryptonitemebro"}'
const privateApiSecret = '{"username" : "myorguser","password" : "super-sekret-password-string"}'
const newPrivateApiSecret = '{"username" : "myorguser","password" : "new-super-sekret-password-string"}'

const envApi = [
  { name: 'API_HOST', value: 'localhost' },
  { name: 'API_PORT', value: '1234' },
]

describe('seed service-create bodies', () => {
  it('maps the new-everything body onto the ECS, Cloud Map and Secrets Manager inputs', () => {
    const { value, unknownKeys } = decode(ServiceCreateBody, seedFixture('service-create-new-everything.json'))

    expect(value).toStrictEqual({
      cluster: { clusterName: 'myclu' },
      taskDefinition: {
        family: 'webservers',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {
            environment: envApi,
            name: 'webserver',
            image: 'nginx:alpine',
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': 'myclu',
                'awslogs-stream-prefix': 'www',
                'awslogs-region': 'us-east-1',
                'awslogs-create-group': 'true',
              },
            },
            portMappings: [{ containerPort: 80, protocol: 'tcp' }],
            secrets: [],
          },
        ],
      },
      service: { desiredCount: 1, serviceName: 'www' },
      serviceRegistry: {
        Name: 'www',
        DnsConfig: { NamespaceId: 'ns-y3uaw6neshhbev3f', DnsRecords: [{ TTL: 30, Type: 'A' }] },
      },
      credentials: {
        webserver: { Name: 'myapp-webserver-cred', SecretString: webserverSecret, Description: 'myapp-webserver-cred' },
      },
      tags: [
        { key: 'CreatedBy', value: 'netid' },
        { key: 'OS', value: 'container' },
      ],
    })
    // `ports` is not an ECS member and Cloud Map's CreateService has no `cluster`: Go ignored both.
    expect(unknownKeys).toEqual(['taskdefinition.containerdefinitions[0].ports', 'serviceregistry.cluster'])
  })

  it('keeps the logConfiguration option keys verbatim (a map, not a structure)', () => {
    const { value } = decode(ServiceCreateBody, seedFixture('service-create-new-everything.json'))
    const options = value.taskDefinition?.containerDefinitions?.[0]?.logConfiguration?.options
    expect(Object.keys(options ?? {})).toEqual([
      'awslogs-group',
      'awslogs-stream-prefix',
      'awslogs-region',
      'awslogs-create-group',
    ])
  })

  it('maps the existing-resources body onto CreateServiceRequest', () => {
    const { value, unknownKeys } = decode(ServiceCreateBody, seedFixture('service-create-existing-resources.json'))

    expect(value).toStrictEqual({
      service: {
        cluster: 'myclu',
        desiredCount: 1,
        serviceName: 'webapp',
        taskDefinition: 'mytaskdef:1',
        serviceRegistries: [
          { registryArn: 'arn:aws:servicediscovery:us-east-1:001122334455:service/srv-tvtbgvkkxtts3qlf' },
        ],
      },
    })
    expect(unknownKeys).toEqual([])
  })
})

describe('seed service-update bodies', () => {
  it('reads ForceNewDeployment and Tags', () => {
    const { value, unknownKeys } = decode(ServiceUpdateBody, seedFixture('service-update-tags-redeploy.json'))

    expect(value).toStrictEqual({
      forceNewDeployment: true,
      tags: [
        { key: 'MyKey', value: 'MyValue' },
        { key: 'Application', value: 'someprefix' },
      ],
    })
    expect(unknownKeys).toEqual([])
  })

  it('reads a new task definition and reports ports and ForceRedeploy', () => {
    const { value, unknownKeys } = decode(ServiceUpdateBody, seedFixture('service-update-taskdef.json'))

    expect(value).toStrictEqual({
      taskDefinition: {
        family: 'supercool-service',
        cpu: '256',
        memory: '1024',
        containerDefinitions: [{ environment: envApi, name: 'webserver', image: 'nginx:alpine' }],
      },
    })
    expect(unknownKeys).toEqual(['TaskDefinition.containerdefinitions[0].ports', 'ForceRedeploy'])
  })

  it('reads the capacity provider strategy of UpdateServiceRequest', () => {
    const { value, unknownKeys } = decode(ServiceUpdateBody, seedFixture('service-update-capacity.json'))

    expect(value).toStrictEqual({
      service: { desiredCount: 1, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', base: 1, weight: 1 }] },
    })
    expect(unknownKeys).toEqual([])
  })

  it('keys the credentials map by container name', () => {
    const { value, unknownKeys } = decode(ServiceUpdateBody, seedFixture('service-update-add-credentials.json'))

    expect(value.taskDefinition?.containerDefinitions).toStrictEqual([
      { name: 'webserver', image: 'nginx:alpine' },
      { name: 'privateapi', image: 'myorg/privateapi:latest' },
    ])
    expect(value.credentials).toStrictEqual({
      privateapi: { Name: 'privateapi-cred-1', SecretString: privateApiSecret, Description: 'privateapi-creds' },
    })
    expect(unknownKeys).toEqual(['ForceRedeploy'])
  })

  it('maps repositorycredentials/credentialsparameter and leaves SecretString untouched', () => {
    const { value, unknownKeys } = decode(ServiceUpdateBody, seedFixture('service-update-credentials-arn.json'))

    expect(value.taskDefinition?.containerDefinitions?.[1]).toStrictEqual({
      name: 'privateapi',
      image: 'myorg/privateapi:latest',
      repositoryCredentials: {
        credentialsParameter: 'arn:aws:secretsmanager:us-east-1:001122334455:secret:privateapi-cred-1-Ol7mhU',
      },
    })
    expect(value.credentials).toStrictEqual({ privateapi: { SecretString: newPrivateApiSecret } })
    expect(unknownKeys).toEqual(['ForceRedeploy'])
  })
})

describe('seed taskdef and task bodies', () => {
  it('maps portmappings/ContainerPort per container and keeps the credentials key', () => {
    const { value, unknownKeys } = decode(TaskDefCreateBody, seedFixture('taskdef-create.json'))

    expect(value).toStrictEqual({
      cluster: { clusterName: 'myclu' },
      taskDefinition: {
        family: 'supercool',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'nginx', image: 'nginx:alpine', portMappings: [{ containerPort: 80 }] },
          { name: 'api', image: 'yaleits/testapi', portMappings: [{ containerPort: 8080 }] },
        ],
      },
      credentials: { api: { SecretString: newPrivateApiSecret } },
      tags: [
        { Key: 'Application', Value: 'myclu' },
        { Key: 'COA', Value: 'Bill.Me.Please.COA' },
      ],
    })
    expect(unknownKeys).toEqual([])
  })

  it('maps the run-task body onto RunTaskRequest', () => {
    const { value, unknownKeys } = decode<RunTaskCommandInput>(RunTaskRequest$, seedFixture('task-run.json'))

    expect(value).toStrictEqual({ count: 1, startedBy: 'camden' })
    expect(unknownKeys).toEqual([])
  })
})

describe('seed parameter and secret bodies (PascalCase SDK members)', () => {
  const tags = [
    { Key: 'MyKey', Value: 'MyValue' },
    { Key: 'Application', Value: 'someprefix' },
  ]

  it('maps the param-create body onto PutParameterRequest', () => {
    const { value, unknownKeys } = decode(PutParameterRequest$, seedFixture('param-create.json'))

    expect(value).toStrictEqual({ Description: 'a secret parameter', Name: 'newsecret123', Value: 'abc123', Tags: tags })
    expect(unknownKeys).toEqual([])
  })

  it('maps the param-update body onto PutParameterRequest', () => {
    const { value, unknownKeys } = decode(PutParameterRequest$, seedFixture('param-update.json'))

    expect(value).toStrictEqual({ Value: 'abc123', Tags: tags })
    expect(unknownKeys).toEqual([])
  })

  it('maps the secret-create body onto CreateSecretRequest', () => {
    const { value, unknownKeys } = decode(CreateSecretRequest$, seedFixture('secret-create.json'))

    expect(value).toStrictEqual({ Name: 'sshhhhh', SecretString: 'abc123' })
    expect(unknownKeys).toEqual([])
  })

  it('maps lower-case tag keys of the secret-update body onto Secrets Manager Tag members', () => {
    const { value, unknownKeys } = decode(SecretUpdateBody, seedFixture('secret-update.json'))

    expect(value).toStrictEqual({ secret: 'TOPSEKRETsshhhhh', tags: [{ Key: 'Application', Value: 'FooBAAAAAR' }] })
    expect(unknownKeys).toEqual([])
  })
})
