/** The seed's service create and update example bodies, verbatim (see seed-examples.ts). */

export const serviceCreateNewEverything = {
  "cluster": {
    "clustername": "myclu"
  },
  "taskdefinition": {
    "family": "webservers",
    "cpu": "256",
    "memory": "512",
    "containerdefinitions": [
      {
        "environment": [
          {
            "name": "API_HOST",
            "value": "localhost"
          },
          {
            "name": "API_PORT",
            "value": "1234"
          }
        ],
        "name": "webserver",
        "image": "nginx:alpine",
        "ports": [
          80,
          443
        ],
        "logConfiguration": {
          "logDriver": "awslogs",
          "options": {
            "awslogs-group": "myclu",
            "awslogs-stream-prefix": "www",
            "awslogs-region": "us-east-1",
            "awslogs-create-group": "true"
          }
        },
        "PortMappings": [
          {
            "ContainerPort": 80,
            "protocol": "tcp"
          }
        ],
        "secrets": []
      }
    ]
  },
  "service": {
    "desiredcount": 1,
    "servicename": "www"
  },
  "serviceregistry": {
    "name": "www",
    "cluster": "myclu",
    "dnsconfig": {
      "namespaceid": "ns-y3uaw6neshhbev3f",
      "dnsrecords": [
        {
          "ttl": 30,
          "type": "A"
        }
      ]
    }
  },
  "credentials": {
    "webserver": {
      "Name": "myapp-webserver-cred",
      "SecretString": "{\"username\" : \"supahman\",\"password\" : \"dontkryptonitemebro\"}",
      "Description": "myapp-webserver-cred"
    }
  },
  "tags": [
    {
      "Key": "CreatedBy",
      "Value": "netid"
    },
    {
      "Key": "OS",
      "Value": "container"
    }
  ]
}

export const serviceCreateExistingResources = {
  "service": {
    "cluster": "myclu",
    "desiredcount": 1,
    "servicename": "webapp",
    "taskdefinition": "mytaskdef:1",
    "serviceregistries": [
      {
        "registryarn": "arn:aws:servicediscovery:us-east-1:001122334455:service/srv-tvtbgvkkxtts3qlf"
      }
    ]
  }
}

export const serviceUpdateTagsRedeploy = {
  "ForceNewDeployment": true,
  "Tags": [
    {
      "Key": "MyKey",
      "Value": "MyValue"
    },
    {
      "Key": "Application",
      "Value": "someprefix"
    }
  ]
}

export const serviceUpdateTaskDefinition = {
  "TaskDefinition": {
    "family": "supercool-service",
    "cpu": "256",
    "memory": "1024",
    "containerdefinitions": [
      {
        "environment": [
          {
            "name": "API_HOST",
            "value": "localhost"
          },
          {
            "name": "API_PORT",
            "value": "1234"
          }
        ],
        "name": "webserver",
        "image": "nginx:alpine",
        "ports": [
          80,
          443
        ]
      }
    ]
  },
  "ForceRedeploy": true
}

export const serviceUpdateCapacity = {
  "Service": {
    "DesiredCount": 1,
    "CapacityProviderStrategy": [
      {
        "CapacityProvider": "FARGATE_SPOT",
        "Base": 1,
        "Weight": 1
      }
    ]
  }
}

export const serviceUpdateAddCredentials = {
  "TaskDefinition": {
    "family": "supercool-service",
    "cpu": "256",
    "memory": "1024",
    "containerdefinitions": [
      {
        "name": "webserver",
        "image": "nginx:alpine"
      },
      {
        "name": "privateapi",
        "image": "myorg/privateapi:latest"
      }
    ]
  },
  "credentials": {
    "privateapi": {
      "Name": "privateapi-cred-1",
      "SecretString": "{\"username\" : \"myorguser\",\"password\" : \"super-sekret-password-string\"}",
      "Description": "privateapi-creds"
    }
  },
  "ForceRedeploy": true
}

export const serviceUpdateCredentialsArn = {
  "TaskDefinition": {
    "family": "supercool-service",
    "cpu": "256",
    "memory": "1024",
    "containerdefinitions": [
      {
        "name": "webserver",
        "image": "nginx:alpine"
      },
      {
        "name": "privateapi",
        "image": "myorg/privateapi:latest",
        "repositorycredentials": {
          "credentialsparameter": "arn:aws:secretsmanager:us-east-1:001122334455:secret:privateapi-cred-1-Ol7mhU"
        }
      }
    ]
  },
  "credentials": {
    "privateapi": {
      "SecretString": "{\"username\" : \"myorguser\",\"password\" : \"new-super-sekret-password-string\"}"
    }
  },
  "ForceRedeploy": true
}
