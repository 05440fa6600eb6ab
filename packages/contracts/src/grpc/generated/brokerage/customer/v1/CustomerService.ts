// Original file: proto/customer.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AssignBrokerRequest as _brokerage_customer_v1_AssignBrokerRequest, AssignBrokerRequest__Output as _brokerage_customer_v1_AssignBrokerRequest__Output } from '../../../brokerage/customer/v1/AssignBrokerRequest.js';
import type { Broker as _brokerage_customer_v1_Broker, Broker__Output as _brokerage_customer_v1_Broker__Output } from '../../../brokerage/customer/v1/Broker.js';
import type { CreateBrokerRequest as _brokerage_customer_v1_CreateBrokerRequest, CreateBrokerRequest__Output as _brokerage_customer_v1_CreateBrokerRequest__Output } from '../../../brokerage/customer/v1/CreateBrokerRequest.js';
import type { CreateCustomerRequest as _brokerage_customer_v1_CreateCustomerRequest, CreateCustomerRequest__Output as _brokerage_customer_v1_CreateCustomerRequest__Output } from '../../../brokerage/customer/v1/CreateCustomerRequest.js';
import type { Customer as _brokerage_customer_v1_Customer, Customer__Output as _brokerage_customer_v1_Customer__Output } from '../../../brokerage/customer/v1/Customer.js';
import type { GetCustomerRequest as _brokerage_customer_v1_GetCustomerRequest, GetCustomerRequest__Output as _brokerage_customer_v1_GetCustomerRequest__Output } from '../../../brokerage/customer/v1/GetCustomerRequest.js';
import type { ListBrokersRequest as _brokerage_customer_v1_ListBrokersRequest, ListBrokersRequest__Output as _brokerage_customer_v1_ListBrokersRequest__Output } from '../../../brokerage/customer/v1/ListBrokersRequest.js';
import type { ListBrokersResponse as _brokerage_customer_v1_ListBrokersResponse, ListBrokersResponse__Output as _brokerage_customer_v1_ListBrokersResponse__Output } from '../../../brokerage/customer/v1/ListBrokersResponse.js';
import type { ListCustomersRequest as _brokerage_customer_v1_ListCustomersRequest, ListCustomersRequest__Output as _brokerage_customer_v1_ListCustomersRequest__Output } from '../../../brokerage/customer/v1/ListCustomersRequest.js';
import type { ListCustomersResponse as _brokerage_customer_v1_ListCustomersResponse, ListCustomersResponse__Output as _brokerage_customer_v1_ListCustomersResponse__Output } from '../../../brokerage/customer/v1/ListCustomersResponse.js';
import type { ListMovementsRequest as _brokerage_customer_v1_ListMovementsRequest, ListMovementsRequest__Output as _brokerage_customer_v1_ListMovementsRequest__Output } from '../../../brokerage/customer/v1/ListMovementsRequest.js';
import type { ListMovementsResponse as _brokerage_customer_v1_ListMovementsResponse, ListMovementsResponse__Output as _brokerage_customer_v1_ListMovementsResponse__Output } from '../../../brokerage/customer/v1/ListMovementsResponse.js';
import type { Movement as _brokerage_customer_v1_Movement, Movement__Output as _brokerage_customer_v1_Movement__Output } from '../../../brokerage/customer/v1/Movement.js';
import type { RequestDepositRequest as _brokerage_customer_v1_RequestDepositRequest, RequestDepositRequest__Output as _brokerage_customer_v1_RequestDepositRequest__Output } from '../../../brokerage/customer/v1/RequestDepositRequest.js';
import type { RequestWithdrawalRequest as _brokerage_customer_v1_RequestWithdrawalRequest, RequestWithdrawalRequest__Output as _brokerage_customer_v1_RequestWithdrawalRequest__Output } from '../../../brokerage/customer/v1/RequestWithdrawalRequest.js';
import type { SetStatusRequest as _brokerage_customer_v1_SetStatusRequest, SetStatusRequest__Output as _brokerage_customer_v1_SetStatusRequest__Output } from '../../../brokerage/customer/v1/SetStatusRequest.js';
import type { SetTierRequest as _brokerage_customer_v1_SetTierRequest, SetTierRequest__Output as _brokerage_customer_v1_SetTierRequest__Output } from '../../../brokerage/customer/v1/SetTierRequest.js';

export interface CustomerServiceClient extends grpc.Client {
  AssignBroker(argument: _brokerage_customer_v1_AssignBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  AssignBroker(argument: _brokerage_customer_v1_AssignBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  AssignBroker(argument: _brokerage_customer_v1_AssignBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  AssignBroker(argument: _brokerage_customer_v1_AssignBrokerRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  assignBroker(argument: _brokerage_customer_v1_AssignBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  assignBroker(argument: _brokerage_customer_v1_AssignBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  assignBroker(argument: _brokerage_customer_v1_AssignBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  assignBroker(argument: _brokerage_customer_v1_AssignBrokerRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  
  CreateBroker(argument: _brokerage_customer_v1_CreateBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Broker__Output>): grpc.ClientUnaryCall;
  CreateBroker(argument: _brokerage_customer_v1_CreateBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Broker__Output>): grpc.ClientUnaryCall;
  CreateBroker(argument: _brokerage_customer_v1_CreateBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Broker__Output>): grpc.ClientUnaryCall;
  CreateBroker(argument: _brokerage_customer_v1_CreateBrokerRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Broker__Output>): grpc.ClientUnaryCall;
  createBroker(argument: _brokerage_customer_v1_CreateBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Broker__Output>): grpc.ClientUnaryCall;
  createBroker(argument: _brokerage_customer_v1_CreateBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Broker__Output>): grpc.ClientUnaryCall;
  createBroker(argument: _brokerage_customer_v1_CreateBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Broker__Output>): grpc.ClientUnaryCall;
  createBroker(argument: _brokerage_customer_v1_CreateBrokerRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Broker__Output>): grpc.ClientUnaryCall;
  
  CreateCustomer(argument: _brokerage_customer_v1_CreateCustomerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  CreateCustomer(argument: _brokerage_customer_v1_CreateCustomerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  CreateCustomer(argument: _brokerage_customer_v1_CreateCustomerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  CreateCustomer(argument: _brokerage_customer_v1_CreateCustomerRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  createCustomer(argument: _brokerage_customer_v1_CreateCustomerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  createCustomer(argument: _brokerage_customer_v1_CreateCustomerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  createCustomer(argument: _brokerage_customer_v1_CreateCustomerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  createCustomer(argument: _brokerage_customer_v1_CreateCustomerRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  
  GetCustomer(argument: _brokerage_customer_v1_GetCustomerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  GetCustomer(argument: _brokerage_customer_v1_GetCustomerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  GetCustomer(argument: _brokerage_customer_v1_GetCustomerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  GetCustomer(argument: _brokerage_customer_v1_GetCustomerRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  getCustomer(argument: _brokerage_customer_v1_GetCustomerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  getCustomer(argument: _brokerage_customer_v1_GetCustomerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  getCustomer(argument: _brokerage_customer_v1_GetCustomerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  getCustomer(argument: _brokerage_customer_v1_GetCustomerRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  
  ListBrokers(argument: _brokerage_customer_v1_ListBrokersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListBrokersResponse__Output>): grpc.ClientUnaryCall;
  ListBrokers(argument: _brokerage_customer_v1_ListBrokersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_ListBrokersResponse__Output>): grpc.ClientUnaryCall;
  ListBrokers(argument: _brokerage_customer_v1_ListBrokersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListBrokersResponse__Output>): grpc.ClientUnaryCall;
  ListBrokers(argument: _brokerage_customer_v1_ListBrokersRequest, callback: grpc.requestCallback<_brokerage_customer_v1_ListBrokersResponse__Output>): grpc.ClientUnaryCall;
  listBrokers(argument: _brokerage_customer_v1_ListBrokersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListBrokersResponse__Output>): grpc.ClientUnaryCall;
  listBrokers(argument: _brokerage_customer_v1_ListBrokersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_ListBrokersResponse__Output>): grpc.ClientUnaryCall;
  listBrokers(argument: _brokerage_customer_v1_ListBrokersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListBrokersResponse__Output>): grpc.ClientUnaryCall;
  listBrokers(argument: _brokerage_customer_v1_ListBrokersRequest, callback: grpc.requestCallback<_brokerage_customer_v1_ListBrokersResponse__Output>): grpc.ClientUnaryCall;
  
  ListCustomers(argument: _brokerage_customer_v1_ListCustomersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListCustomersResponse__Output>): grpc.ClientUnaryCall;
  ListCustomers(argument: _brokerage_customer_v1_ListCustomersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_ListCustomersResponse__Output>): grpc.ClientUnaryCall;
  ListCustomers(argument: _brokerage_customer_v1_ListCustomersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListCustomersResponse__Output>): grpc.ClientUnaryCall;
  ListCustomers(argument: _brokerage_customer_v1_ListCustomersRequest, callback: grpc.requestCallback<_brokerage_customer_v1_ListCustomersResponse__Output>): grpc.ClientUnaryCall;
  listCustomers(argument: _brokerage_customer_v1_ListCustomersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListCustomersResponse__Output>): grpc.ClientUnaryCall;
  listCustomers(argument: _brokerage_customer_v1_ListCustomersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_ListCustomersResponse__Output>): grpc.ClientUnaryCall;
  listCustomers(argument: _brokerage_customer_v1_ListCustomersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListCustomersResponse__Output>): grpc.ClientUnaryCall;
  listCustomers(argument: _brokerage_customer_v1_ListCustomersRequest, callback: grpc.requestCallback<_brokerage_customer_v1_ListCustomersResponse__Output>): grpc.ClientUnaryCall;
  
  ListMovements(argument: _brokerage_customer_v1_ListMovementsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListMovementsResponse__Output>): grpc.ClientUnaryCall;
  ListMovements(argument: _brokerage_customer_v1_ListMovementsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_ListMovementsResponse__Output>): grpc.ClientUnaryCall;
  ListMovements(argument: _brokerage_customer_v1_ListMovementsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListMovementsResponse__Output>): grpc.ClientUnaryCall;
  ListMovements(argument: _brokerage_customer_v1_ListMovementsRequest, callback: grpc.requestCallback<_brokerage_customer_v1_ListMovementsResponse__Output>): grpc.ClientUnaryCall;
  listMovements(argument: _brokerage_customer_v1_ListMovementsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListMovementsResponse__Output>): grpc.ClientUnaryCall;
  listMovements(argument: _brokerage_customer_v1_ListMovementsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_ListMovementsResponse__Output>): grpc.ClientUnaryCall;
  listMovements(argument: _brokerage_customer_v1_ListMovementsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_ListMovementsResponse__Output>): grpc.ClientUnaryCall;
  listMovements(argument: _brokerage_customer_v1_ListMovementsRequest, callback: grpc.requestCallback<_brokerage_customer_v1_ListMovementsResponse__Output>): grpc.ClientUnaryCall;
  
  RequestDeposit(argument: _brokerage_customer_v1_RequestDepositRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  RequestDeposit(argument: _brokerage_customer_v1_RequestDepositRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  RequestDeposit(argument: _brokerage_customer_v1_RequestDepositRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  RequestDeposit(argument: _brokerage_customer_v1_RequestDepositRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  requestDeposit(argument: _brokerage_customer_v1_RequestDepositRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  requestDeposit(argument: _brokerage_customer_v1_RequestDepositRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  requestDeposit(argument: _brokerage_customer_v1_RequestDepositRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  requestDeposit(argument: _brokerage_customer_v1_RequestDepositRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  
  RequestWithdrawal(argument: _brokerage_customer_v1_RequestWithdrawalRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  RequestWithdrawal(argument: _brokerage_customer_v1_RequestWithdrawalRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  RequestWithdrawal(argument: _brokerage_customer_v1_RequestWithdrawalRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  RequestWithdrawal(argument: _brokerage_customer_v1_RequestWithdrawalRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  requestWithdrawal(argument: _brokerage_customer_v1_RequestWithdrawalRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  requestWithdrawal(argument: _brokerage_customer_v1_RequestWithdrawalRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  requestWithdrawal(argument: _brokerage_customer_v1_RequestWithdrawalRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  requestWithdrawal(argument: _brokerage_customer_v1_RequestWithdrawalRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Movement__Output>): grpc.ClientUnaryCall;
  
  SetStatus(argument: _brokerage_customer_v1_SetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  SetStatus(argument: _brokerage_customer_v1_SetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  SetStatus(argument: _brokerage_customer_v1_SetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  SetStatus(argument: _brokerage_customer_v1_SetStatusRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  setStatus(argument: _brokerage_customer_v1_SetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  setStatus(argument: _brokerage_customer_v1_SetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  setStatus(argument: _brokerage_customer_v1_SetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  setStatus(argument: _brokerage_customer_v1_SetStatusRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  
  SetTier(argument: _brokerage_customer_v1_SetTierRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  SetTier(argument: _brokerage_customer_v1_SetTierRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  SetTier(argument: _brokerage_customer_v1_SetTierRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  SetTier(argument: _brokerage_customer_v1_SetTierRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  setTier(argument: _brokerage_customer_v1_SetTierRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  setTier(argument: _brokerage_customer_v1_SetTierRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  setTier(argument: _brokerage_customer_v1_SetTierRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  setTier(argument: _brokerage_customer_v1_SetTierRequest, callback: grpc.requestCallback<_brokerage_customer_v1_Customer__Output>): grpc.ClientUnaryCall;
  
}

export interface CustomerServiceHandlers extends grpc.UntypedServiceImplementation {
  AssignBroker: grpc.handleUnaryCall<_brokerage_customer_v1_AssignBrokerRequest__Output, _brokerage_customer_v1_Customer>;
  
  CreateBroker: grpc.handleUnaryCall<_brokerage_customer_v1_CreateBrokerRequest__Output, _brokerage_customer_v1_Broker>;
  
  CreateCustomer: grpc.handleUnaryCall<_brokerage_customer_v1_CreateCustomerRequest__Output, _brokerage_customer_v1_Customer>;
  
  GetCustomer: grpc.handleUnaryCall<_brokerage_customer_v1_GetCustomerRequest__Output, _brokerage_customer_v1_Customer>;
  
  ListBrokers: grpc.handleUnaryCall<_brokerage_customer_v1_ListBrokersRequest__Output, _brokerage_customer_v1_ListBrokersResponse>;
  
  ListCustomers: grpc.handleUnaryCall<_brokerage_customer_v1_ListCustomersRequest__Output, _brokerage_customer_v1_ListCustomersResponse>;
  
  ListMovements: grpc.handleUnaryCall<_brokerage_customer_v1_ListMovementsRequest__Output, _brokerage_customer_v1_ListMovementsResponse>;
  
  RequestDeposit: grpc.handleUnaryCall<_brokerage_customer_v1_RequestDepositRequest__Output, _brokerage_customer_v1_Movement>;
  
  RequestWithdrawal: grpc.handleUnaryCall<_brokerage_customer_v1_RequestWithdrawalRequest__Output, _brokerage_customer_v1_Movement>;
  
  SetStatus: grpc.handleUnaryCall<_brokerage_customer_v1_SetStatusRequest__Output, _brokerage_customer_v1_Customer>;
  
  SetTier: grpc.handleUnaryCall<_brokerage_customer_v1_SetTierRequest__Output, _brokerage_customer_v1_Customer>;
  
}

export interface CustomerServiceDefinition extends grpc.ServiceDefinition {
  AssignBroker: MethodDefinition<_brokerage_customer_v1_AssignBrokerRequest, _brokerage_customer_v1_Customer, _brokerage_customer_v1_AssignBrokerRequest__Output, _brokerage_customer_v1_Customer__Output>
  CreateBroker: MethodDefinition<_brokerage_customer_v1_CreateBrokerRequest, _brokerage_customer_v1_Broker, _brokerage_customer_v1_CreateBrokerRequest__Output, _brokerage_customer_v1_Broker__Output>
  CreateCustomer: MethodDefinition<_brokerage_customer_v1_CreateCustomerRequest, _brokerage_customer_v1_Customer, _brokerage_customer_v1_CreateCustomerRequest__Output, _brokerage_customer_v1_Customer__Output>
  GetCustomer: MethodDefinition<_brokerage_customer_v1_GetCustomerRequest, _brokerage_customer_v1_Customer, _brokerage_customer_v1_GetCustomerRequest__Output, _brokerage_customer_v1_Customer__Output>
  ListBrokers: MethodDefinition<_brokerage_customer_v1_ListBrokersRequest, _brokerage_customer_v1_ListBrokersResponse, _brokerage_customer_v1_ListBrokersRequest__Output, _brokerage_customer_v1_ListBrokersResponse__Output>
  ListCustomers: MethodDefinition<_brokerage_customer_v1_ListCustomersRequest, _brokerage_customer_v1_ListCustomersResponse, _brokerage_customer_v1_ListCustomersRequest__Output, _brokerage_customer_v1_ListCustomersResponse__Output>
  ListMovements: MethodDefinition<_brokerage_customer_v1_ListMovementsRequest, _brokerage_customer_v1_ListMovementsResponse, _brokerage_customer_v1_ListMovementsRequest__Output, _brokerage_customer_v1_ListMovementsResponse__Output>
  RequestDeposit: MethodDefinition<_brokerage_customer_v1_RequestDepositRequest, _brokerage_customer_v1_Movement, _brokerage_customer_v1_RequestDepositRequest__Output, _brokerage_customer_v1_Movement__Output>
  RequestWithdrawal: MethodDefinition<_brokerage_customer_v1_RequestWithdrawalRequest, _brokerage_customer_v1_Movement, _brokerage_customer_v1_RequestWithdrawalRequest__Output, _brokerage_customer_v1_Movement__Output>
  SetStatus: MethodDefinition<_brokerage_customer_v1_SetStatusRequest, _brokerage_customer_v1_Customer, _brokerage_customer_v1_SetStatusRequest__Output, _brokerage_customer_v1_Customer__Output>
  SetTier: MethodDefinition<_brokerage_customer_v1_SetTierRequest, _brokerage_customer_v1_Customer, _brokerage_customer_v1_SetTierRequest__Output, _brokerage_customer_v1_Customer__Output>
}
