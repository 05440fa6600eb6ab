// Original file: proto/identity.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AuthenticateRequest as _brokerage_identity_v1_AuthenticateRequest, AuthenticateRequest__Output as _brokerage_identity_v1_AuthenticateRequest__Output } from '../../../brokerage/identity/v1/AuthenticateRequest.js';
import type { ChangePasswordRequest as _brokerage_identity_v1_ChangePasswordRequest, ChangePasswordRequest__Output as _brokerage_identity_v1_ChangePasswordRequest__Output } from '../../../brokerage/identity/v1/ChangePasswordRequest.js';
import type { Principal as _brokerage_identity_v1_Principal, Principal__Output as _brokerage_identity_v1_Principal__Output } from '../../../brokerage/identity/v1/Principal.js';
import type { SetPasswordRequest as _brokerage_identity_v1_SetPasswordRequest, SetPasswordRequest__Output as _brokerage_identity_v1_SetPasswordRequest__Output } from '../../../brokerage/identity/v1/SetPasswordRequest.js';

export interface IdentityServiceClient extends grpc.Client {
  Authenticate(argument: _brokerage_identity_v1_AuthenticateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  Authenticate(argument: _brokerage_identity_v1_AuthenticateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  Authenticate(argument: _brokerage_identity_v1_AuthenticateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  Authenticate(argument: _brokerage_identity_v1_AuthenticateRequest, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  authenticate(argument: _brokerage_identity_v1_AuthenticateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  authenticate(argument: _brokerage_identity_v1_AuthenticateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  authenticate(argument: _brokerage_identity_v1_AuthenticateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  authenticate(argument: _brokerage_identity_v1_AuthenticateRequest, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  
  ChangePassword(argument: _brokerage_identity_v1_ChangePasswordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  ChangePassword(argument: _brokerage_identity_v1_ChangePasswordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  ChangePassword(argument: _brokerage_identity_v1_ChangePasswordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  ChangePassword(argument: _brokerage_identity_v1_ChangePasswordRequest, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  changePassword(argument: _brokerage_identity_v1_ChangePasswordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  changePassword(argument: _brokerage_identity_v1_ChangePasswordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  changePassword(argument: _brokerage_identity_v1_ChangePasswordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  changePassword(argument: _brokerage_identity_v1_ChangePasswordRequest, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  
  SetPassword(argument: _brokerage_identity_v1_SetPasswordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  SetPassword(argument: _brokerage_identity_v1_SetPasswordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  SetPassword(argument: _brokerage_identity_v1_SetPasswordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  SetPassword(argument: _brokerage_identity_v1_SetPasswordRequest, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  setPassword(argument: _brokerage_identity_v1_SetPasswordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  setPassword(argument: _brokerage_identity_v1_SetPasswordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  setPassword(argument: _brokerage_identity_v1_SetPasswordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  setPassword(argument: _brokerage_identity_v1_SetPasswordRequest, callback: grpc.requestCallback<_brokerage_identity_v1_Principal__Output>): grpc.ClientUnaryCall;
  
}

export interface IdentityServiceHandlers extends grpc.UntypedServiceImplementation {
  Authenticate: grpc.handleUnaryCall<_brokerage_identity_v1_AuthenticateRequest__Output, _brokerage_identity_v1_Principal>;
  
  ChangePassword: grpc.handleUnaryCall<_brokerage_identity_v1_ChangePasswordRequest__Output, _brokerage_identity_v1_Principal>;
  
  SetPassword: grpc.handleUnaryCall<_brokerage_identity_v1_SetPasswordRequest__Output, _brokerage_identity_v1_Principal>;
  
}

export interface IdentityServiceDefinition extends grpc.ServiceDefinition {
  Authenticate: MethodDefinition<_brokerage_identity_v1_AuthenticateRequest, _brokerage_identity_v1_Principal, _brokerage_identity_v1_AuthenticateRequest__Output, _brokerage_identity_v1_Principal__Output>
  ChangePassword: MethodDefinition<_brokerage_identity_v1_ChangePasswordRequest, _brokerage_identity_v1_Principal, _brokerage_identity_v1_ChangePasswordRequest__Output, _brokerage_identity_v1_Principal__Output>
  SetPassword: MethodDefinition<_brokerage_identity_v1_SetPasswordRequest, _brokerage_identity_v1_Principal, _brokerage_identity_v1_SetPasswordRequest__Output, _brokerage_identity_v1_Principal__Output>
}
