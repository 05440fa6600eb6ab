// Original file: proto/identity.proto


export interface AuthenticateRequest {
  'username'?: (string);
  'password'?: (string);
}

export interface AuthenticateRequest__Output {
  'username': (string);
  'password': (string);
}
