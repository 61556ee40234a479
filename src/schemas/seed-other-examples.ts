/** The seed's task definition, task run, parameter and secret example bodies, verbatim (see seed-examples.ts). */

export const taskDefinitionCreate = {
  "cluster": {
    "clustername": "myclu"
  },
  "taskdefinition": {
    "family": "supercool",
    "cpu": "256",
    "memory": "512",
    "containerdefinitions": [
      {
        "name": "nginx",
        "image": "nginx:alpine",
        "portmappings": [
          {
            "ContainerPort": 80
          }
        ]
      },
      {
        "name": "api",
        "image": "yaleits/testapi",
        "portmappings": [
          {
            "ContainerPort": 8080
          }
        ]
      }
    ]
  },
  "credentials": {
    "api": {
      "SecretString": "{\"username\" : \"myorguser\",\"password\" : \"new-super-sekret-password-string\"}"
    }
  },
  "tags": [
    {
      "Key": "Application",
      "Value": "myclu"
    },
    {
      "Key": "COA",
      "Value": "Bill.Me.Please.COA"
    }
  ]
}

export const taskRun = {
  "Count": 1,
  "StartedBy": "camden"
}

export const parameterCreate = {
  "Description": "a secret parameter",
  "Name": "newsecret123",
  "Value": "abc123",
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

export const parameterUpdate = {
  "Value": "abc123",
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

export const secretCreate = {
  "Name": "sshhhhh",
  "SecretString": "abc123"
}

export const secretUpdate = {
  "Secret": "TOPSEKRETsshhhhh",
  "Tags": [
    {
      "key": "Application",
      "value": "FooBAAAAAR"
    }
  ]
}
